<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR" sourcelanguage="en">
<context>
    <name>ChangeStyle</name>
    <message>
        <source>metacopy</source>
        <translation>메타복사</translation>
    </message>
    <message>
        <source>Metacopy: metadata copied up; the data is still read from the layer below.</source>
        <translation>메타복사: 메타데이터만 복사되었고, 데이터는 여전히 아래 레이어에서 읽습니다.</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>변경 없음</translation>
    </message>
    <message>
        <source>added</source>
        <translation>추가됨</translation>
    </message>
    <message>
        <source>modified</source>
        <translation>수정됨</translation>
    </message>
    <message>
        <source>metadata only</source>
        <translation>메타데이터만</translation>
    </message>
    <message>
        <source>replaced type</source>
        <translation>종류 바뀜</translation>
    </message>
    <message>
        <source>deleted</source>
        <translation>삭제됨</translation>
    </message>
    <message>
        <source>orphan whiteout</source>
        <translation>고아 화이트아웃</translation>
    </message>
    <message>
        <source>phantom</source>
        <translation>유령 항목</translation>
    </message>
    <message>
        <source>opaque</source>
        <translation>불투명</translation>
    </message>
    <message>
        <source>redirected</source>
        <translation>리디렉션됨</translation>
    </message>
    <message>
        <source>copied up</source>
        <translation>카피업됨</translation>
    </message>
    <message>
        <source>This layer has nothing at this path.</source>
        <translation>이 레이어에는 이 경로에 아무것도 없습니다.</translation>
    </message>
    <message>
        <source>Present and the same as the version below.</source>
        <translation>있으며 아래 버전과 같습니다.</translation>
    </message>
    <message>
        <source>New in this layer: nothing below it has this path.</source>
        <translation>이 레이어에서 새로 생김: 아래 레이어에는 이 경로가 없습니다.</translation>
    </message>
    <message>
        <source>The content differs from the version below, which it hides.</source>
        <translation>내용이 아래 버전과 다르며, 아래 버전을 가립니다.</translation>
    </message>
    <message>
        <source>Contents identical, only metadata changed (a full copy): permissions or owner differ, yet the whole file was copied.</source>
        <translation>내용은 같고 메타데이터만 바뀜(전체 복사): 권한이나 소유자만 다르지만 파일 전체가 복사되었습니다.</translation>
    </message>
    <message>
        <source>A different kind of entry (for example a directory instead of a file) replaces the one below.</source>
        <translation>다른 종류의 항목(예: 파일 대신 디렉터리)이 아래 항목을 대신합니다.</translation>
    </message>
    <message>
        <source>A whiteout: the kernel keeps a 0/0 character device with this name so the merged view hides the version below.</source>
        <translation>화이트아웃: 커널이 이 이름의 0/0 문자 장치를 두어 병합 뷰에서 아래 버전을 숨깁니다.</translation>
    </message>
    <message>
        <source>A whiteout that hides nothing: no layer below has this path.</source>
        <translation>아무것도 가리지 않는 화이트아웃: 아래 레이어에 이 경로가 없습니다.</translation>
    </message>
    <message>
        <source>A whiteout in a directory that is not merged: the kernel lists the name, but looking it up fails (No such file or directory).</source>
        <translation>병합되지 않은 디렉터리 안의 화이트아웃: 커널은 이름을 나열하지만 찾으면 실패합니다 (그런 파일이나 디렉터리가 없음).</translation>
    </message>
    <message>
        <source>An opaque directory: everything below it in lower layers is hidden.</source>
        <translation>불투명 디렉터리: 하위 레이어에서 그 아래의 모든 것이 숨겨집니다.</translation>
    </message>
    <message>
        <source>A renamed directory: its lower content is found at the path its redirect xattr names.</source>
        <translation>이름이 바뀐 디렉터리: 하위 내용은 redirect xattr가 가리키는 경로에서 찾습니다.</translation>
    </message>
    <message>
        <source>Copied up from a lower layer (its origin xattr names the lower entry) and otherwise unchanged.</source>
        <translation>하위 레이어에서 카피업되었고(origin xattr가 하위 항목을 가리킴) 그 밖에는 바뀌지 않았습니다.</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Reading or writing %1 failed.</source>
        <translation>%1을(를) 읽거나 쓰지 못했습니다.</translation>
    </message>
    <message>
        <source>A read or write failed.</source>
        <translation>읽기 또는 쓰기에 실패했습니다.</translation>
    </message>
    <message>
        <source>Permission denied: %1.</source>
        <translation>권한이 없습니다: %1.</translation>
    </message>
    <message>
        <source>Permission denied.</source>
        <translation>권한이 없습니다.</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1이(가) 없습니다.</translation>
    </message>
    <message>
        <source>Something this needs does not exist.</source>
        <translation>필요한 항목이 없습니다.</translation>
    </message>
    <message>
        <source>%1 is not a directory.</source>
        <translation>%1은(는) 디렉터리가 아닙니다.</translation>
    </message>
    <message>
        <source>A layer is not a directory.</source>
        <translation>레이어가 디렉터리가 아닙니다.</translation>
    </message>
    <message>
        <source>Strata cannot read this source: %1.</source>
        <translation>Strata가 이 소스를 읽을 수 없습니다: %1.</translation>
    </message>
    <message>
        <source>Strata cannot read this source.</source>
        <translation>Strata가 이 소스를 읽을 수 없습니다.</translation>
    </message>
    <message>
        <source>The kernel would refuse this overlay option: %1.</source>
        <translation>커널이 이 overlay 옵션을 거부합니다: %1.</translation>
    </message>
    <message>
        <source>The kernel would refuse these overlay options.</source>
        <translation>커널이 이 overlay 옵션들을 거부합니다.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>%1 holds malformed data.</source>
        <translation>%1에 형식이 잘못된 데이터가 있습니다.</translation>
    </message>
    <message>
        <source>Malformed data.</source>
        <translation>형식이 잘못된 데이터입니다.</translation>
    </message>
    <message>
        <source>%1 is beyond a size or count limit.</source>
        <translation>%1이(가) 크기 또는 개수 한도를 넘습니다.</translation>
    </message>
    <message>
        <source>A size or count limit was reached.</source>
        <translation>크기 또는 개수 한도에 도달했습니다.</translation>
    </message>
    <message>
        <source>Not supported for %1.</source>
        <translation>%1에는 지원되지 않습니다.</translation>
    </message>
    <message>
        <source>Not supported.</source>
        <translation>지원되지 않습니다.</translation>
    </message>
    <message>
        <source>Unknown error.</source>
        <translation>알 수 없는 오류입니다.</translation>
    </message>
</context>
<context>
    <name>LayerCellDelegate</name>
    <message>
        <source>%1 is not in the merged view.</source>
        <translation>%1은(는) 병합 뷰에 없습니다.</translation>
    </message>
    <message>
        <source>%1 comes from %2 (%3).</source>
        <translation>%1은(는) %2에서 옵니다 (%3).</translation>
    </message>
    <message>
        <source>%1 was deleted in %2: the kernel keeps a 0/0 character device named %1 there so the merged view hides %3&apos;s %1.</source>
        <translation>%1은(는) %2에서 삭제되었습니다: 커널이 그곳에 %1이라는 0/0 문자 장치를 두어 병합 뷰에서 %3의 %1을(를) 숨깁니다.</translation>
    </message>
    <message>
        <source>%1 in %2 has new content; it hides %3&apos;s %1.</source>
        <translation>%2의 %1은(는) 내용이 새로워졌으며 %3의 %1을(를) 가립니다.</translation>
    </message>
    <message>
        <source>%1 is new in %2.</source>
        <translation>%1은(는) %2에서 새로 생겼습니다.</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2바이트)</translation>
    </message>
    <message>
        <source>Size: %1</source>
        <translation>크기: %1</translation>
    </message>
    <message>
        <source>Files below it in the merged view: %1</source>
        <translation>병합 뷰에서 이 아래 파일: %1</translation>
    </message>
    <message>
        <source>Files below it that this layer stores: %1</source>
        <translation>이 레이어가 이 아래에 저장한 파일: %1</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore OverlayFS stacks and container image layers.</source>
        <translation>OverlayFS 스택과 컨테이너 이미지 레이어를 탐색합니다.</translation>
    </message>
    <message>
        <source>Render the window into a PNG file and exit.</source>
        <translation>창을 PNG 파일로 그린 뒤 끝냅니다.</translation>
    </message>
    <message>
        <source>Select this path after loading.</source>
        <translation>불러온 뒤 이 경로를 선택합니다.</translation>
    </message>
    <message>
        <source>User interface language (en, ko).</source>
        <translation>사용자 인터페이스 언어 (en, ko).</translation>
    </message>
    <message>
        <source>Use a dark palette.</source>
        <translation>어두운 팔레트를 씁니다.</translation>
    </message>
    <message>
        <source>Log debug messages to stderr.</source>
        <translation>디버그 메시지를 stderr에 기록합니다.</translation>
    </message>
    <message>
        <source>Window size for --screenshot, e.g. 900x600.</source>
        <translation>--screenshot의 창 크기. 예: 900x600.</translation>
    </message>
    <message>
        <source>overlay:OPTIONS (mount -t overlay -o OPTIONS)</source>
        <translation>overlay:옵션 (mount -t overlay -o 옵션)</translation>
    </message>
    <message>
        <source>Show this tab of the file pane: content, diff or hex.</source>
        <translation>파일 창의 이 탭을 보여 줍니다: content, diff, hex.</translation>
    </message>
    <message>
        <source>Measure first paint and the expansion of PATH, print JSON and exit (scripts/bench).</source>
        <translation>첫 그리기와 PATH 펼치기 시간을 재어 JSON으로 출력하고 끝냅니다 (scripts/bench).</translation>
    </message>
    <message>
        <source>Show the tree as it stood after this layer (0 = the bottom one).</source>
        <translation>이 레이어까지 적용된 시점의 트리를 보여줍니다(0 = 맨 아래 레이어).</translation>
    </message>
    <message>
        <source>Sort the tree largest first.</source>
        <translation>트리를 큰 것부터 정렬합니다.</translation>
    </message>
    <message>
        <source>With --screenshot: render this dialog instead of the window (waste).</source>
        <translation>--screenshot과 함께: 창 대신 이 대화 상자를 그립니다 (waste).</translation>
    </message>
    <message>
        <source>oci: the platform of a multi-platform image, os/arch[/variant].</source>
        <translation>oci: 다중 플랫폼 이미지의 플랫폼, os/arch[/variant].</translation>
    </message>
    <message>
        <source>Mount the stack live once it is loaded (the playground).</source>
        <translation>불러온 뒤 스택을 라이브로 마운트합니다(플레이그라운드).</translation>
    </message>
    <message>
        <source>With --playground or --lesson: do this operation, e.g. &quot;append /etc/motd text&quot; (repeatable).</source>
        <translation>--playground 또는 --lesson과 함께: 이 작업을 실행합니다. 예: &quot;append /etc/motd text&quot; (여러 번 지정 가능).</translation>
    </message>
    <message>
        <source>Start lesson N (strata-cli lesson list).</source>
        <translation>N번 레슨을 시작합니다(strata-cli lesson list).</translation>
    </message>
    <message>
        <source>With --lesson: do the first K steps&apos; actions (&quot;Show me&quot;).</source>
        <translation>--lesson과 함께: 처음 K개 단계의 동작을 실행합니다(&quot;보여 주기&quot;).</translation>
    </message>
    <message>
        <source>Presenter mode: larger fonts.</source>
        <translation>발표자 모드: 더 큰 글꼴.</translation>
    </message>
</context>
<context>
    <name>strata::AsOfBar</name>
    <message>
        <source>Shown as of %1: the merged column is the tree as it stood after %1; the layers above it are dimmed and their paths hidden.</source>
        <translation>%1 시점으로 표시 중: 병합 열은 %1까지 적용된 트리이며, 그 위 레이어는 흐리게 표시되고 그 레이어에만 있는 경로는 숨겨집니다.</translation>
    </message>
    <message>
        <source>Show the Whole Stack</source>
        <translation>전체 스택 보기</translation>
    </message>
</context>
<context>
    <name>strata::ChangeNavigator</name>
    <message>
        <source>Next change</source>
        <translation>다음 변경</translation>
    </message>
    <message>
        <source>Select the next changed path (F8)</source>
        <translation>다음으로 바뀐 경로 선택 (F8)</translation>
    </message>
    <message>
        <source>Previous change</source>
        <translation>이전 변경</translation>
    </message>
    <message>
        <source>Select the previous changed path (Shift+F8)</source>
        <translation>이전 변경 경로 선택 (Shift+F8)</translation>
    </message>
</context>
<context>
    <name>strata::DetailsPane</name>
    <message>
        <source>&lt;p&gt;Merged view: provided by &lt;b&gt;%1&lt;/b&gt; (%2).&lt;/p&gt;</source>
        <translation>&lt;p&gt;병합 뷰: &lt;b&gt;%1&lt;/b&gt;이(가) 제공 (%2).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Metadata from %1, data from %2 (metacopy).&lt;/p&gt;</source>
        <translation>&lt;p&gt;메타데이터는 %1, 데이터는 %2에서 옵니다 (metacopy).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>종류</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>권한</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>소유자</translation>
    </message>
    <message>
        <source>Overlay xattrs</source>
        <translation>오버레이 xattr</translation>
    </message>
    <message>
        <source>opaque</source>
        <translation>불투명</translation>
    </message>
    <message>
        <source>holds xattr whiteouts</source>
        <translation>xattr 화이트아웃 포함</translation>
    </message>
    <message>
        <source>redirect → %1</source>
        <translation>리디렉트 → %1</translation>
    </message>
    <message>
        <source>metacopy</source>
        <translation>metacopy</translation>
    </message>
    <message>
        <source>origin (copied up)</source>
        <translation>origin (카피업됨)</translation>
    </message>
    <message>
        <source>impure</source>
        <translation>impure</translation>
    </message>
    <message>
        <source>xattr whiteout</source>
        <translation>xattr 화이트아웃</translation>
    </message>
    <message>
        <source>whiteout (char 0/0)</source>
        <translation>화이트아웃 (문자 장치 0/0)</translation>
    </message>
    <message>
        <source>Links</source>
        <translation>링크</translation>
    </message>
    <message>
        <source>file</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>directory</source>
        <translation>디렉터리</translation>
    </message>
    <message>
        <source>symlink</source>
        <translation>심볼릭 링크</translation>
    </message>
    <message>
        <source>character device</source>
        <translation>문자 장치</translation>
    </message>
    <message>
        <source>block device</source>
        <translation>블록 장치</translation>
    </message>
    <message>
        <source>fifo</source>
        <translation>FIFO</translation>
    </message>
    <message>
        <source>socket</source>
        <translation>소켓</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>알 수 없음</translation>
    </message>
    <message>
        <source>a layer above</source>
        <translation>위 레이어</translation>
    </message>
    <message>
        <source>provides the metadata; the data comes from %1</source>
        <translation>메타데이터를 제공하고, 데이터는 %1에서 옵니다</translation>
    </message>
    <message>
        <source>provides what the merged view shows</source>
        <translation>병합 뷰에 보이는 것을 제공합니다</translation>
    </message>
    <message>
        <source>provides the data (metacopy above)</source>
        <translation>데이터를 제공합니다 (위에 metacopy)</translation>
    </message>
    <message>
        <source>hidden by %1</source>
        <translation>%1에 가려짐</translation>
    </message>
    <message>
        <source>whiteout: hides %1&apos;s version</source>
        <translation>화이트아웃: %1의 버전을 가립니다</translation>
    </message>
    <message>
        <source>whiteout with nothing below to hide</source>
        <translation>아래에 가릴 것이 없는 화이트아웃</translation>
    </message>
    <message>
        <source>cut off by an opaque directory, a whiteout or a non-directory above</source>
        <translation>위의 불투명 디렉터리, 화이트아웃 또는 디렉터리가 아닌 항목에 막힘</translation>
    </message>
    <message>
        <source>listed by the directory, but the lookup fails (phantom)</source>
        <translation>디렉터리 목록에는 있지만 조회에 실패함 (팬텀)</translation>
    </message>
    <message>
        <source>same as %1</source>
        <translation>%1과(와) 같음</translation>
    </message>
    <message>
        <source>nothing below it</source>
        <translation>아래에 아무것도 없음</translation>
    </message>
    <message>
        <source>another type than in %1</source>
        <translation>%1과(와) 종류가 다름</translation>
    </message>
    <message>
        <source>content differs from %1</source>
        <translation>%1과(와) 내용이 다름</translation>
    </message>
    <message>
        <source>symlink target differs from %1</source>
        <translation>%1과(와) 심볼릭 링크 대상이 다름</translation>
    </message>
    <message>
        <source>device number differs from %1</source>
        <translation>%1과(와) 장치 번호가 다름</translation>
    </message>
    <message>
        <source>metadata copied up, data still in %1 (metacopy)</source>
        <translation>메타데이터만 복사됨, 데이터는 아직 %1에 있음 (metacopy)</translation>
    </message>
    <message>
        <source>a lower layer</source>
        <translation>하위 레이어</translation>
    </message>
    <message>
        <source>permissions differ from %1</source>
        <translation>%1과(와) 권한이 다름</translation>
    </message>
    <message>
        <source>owner differs from %1</source>
        <translation>%1과(와) 소유자가 다름</translation>
    </message>
    <message>
        <source>opaque: hides the directories below</source>
        <translation>불투명: 아래 디렉터리를 가림</translation>
    </message>
    <message>
        <source>renamed directory: its lower content lives at another path</source>
        <translation>이름이 바뀐 디렉터리: 하위 내용은 다른 경로에 있음</translation>
    </message>
    <message>
        <source>copied up from %1, otherwise the same</source>
        <translation>%1에서 복사되어 올라옴, 그 밖에는 같음</translation>
    </message>
    <message>
        <source>metadata not compared yet (statistics are still loading)</source>
        <translation>메타데이터를 아직 비교하지 않음 (통계를 불러오는 중)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Not in the merged view: deleted by a whiteout in %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;병합 뷰에 없음: %1의 화이트아웃으로 삭제됨.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Not in the merged view: an opaque directory, a whiteout or a non-directory above cuts it off.&lt;/p&gt;</source>
        <translation>&lt;p&gt;병합 뷰에 없음: 위의 불투명 디렉터리, 화이트아웃 또는 디렉터리가 아닌 항목이 막고 있습니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>merged into the directory above: its entries show through</source>
        <translation>위 디렉터리에 병합됨: 그 항목이 그대로 보입니다</translation>
    </message>
    <message>
        <source>The tree is shown as of %1; below is every version of this path in the whole stack.</source>
        <translation>트리는 %1 시점으로 표시 중입니다. 아래는 전체 스택에서 이 경로의 모든 버전입니다.</translation>
    </message>
    <message>
        <source>contents identical to %1, only the permissions differ: a full copy</source>
        <translation>%1와(과) 내용은 같고 권한만 다름: 전체 복사본</translation>
    </message>
    <message>
        <source>contents identical to %1, only the owner differs: a full copy</source>
        <translation>%1와(과) 내용은 같고 소유자만 다름: 전체 복사본</translation>
    </message>
</context>
<context>
    <name>strata::ErrorPage</name>
    <message>
        <source>This stack could not be opened</source>
        <translation>이 스택을 열 수 없습니다</translation>
    </message>
    <message>
        <source>Check the layer directories in Open…, or retry once they exist.</source>
        <translation>열기…에서 레이어 디렉터리를 확인하거나, 디렉터리가 생긴 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Strata reads every layer directory: run it as a user who may read them (the owner, or root), then retry.</source>
        <translation>Strata는 모든 레이어 디렉터리를 읽습니다. 읽을 권한이 있는 사용자(소유자 또는 root)로 실행한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Correct the directories or options in Open…</source>
        <translation>열기…에서 디렉터리나 옵션을 고치세요.</translation>
    </message>
    <message>
        <source>Retry, or open another stack.</source>
        <translation>다시 시도하거나 다른 스택을 여세요.</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>열기…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Container storage (/var/lib/docker, /var/lib/containers) is readable by root only: run Strata as root, then retry.</source>
        <translation>컨테이너 저장소(/var/lib/docker, /var/lib/containers)는 root만 읽을 수 있습니다. Strata를 root로 실행한 뒤 다시 시도하세요.</translation>
    </message>
</context>
<context>
    <name>strata::EventTimelineModel</name>
    <message>
        <source>data copy-up</source>
        <translation>데이터 copy-up</translation>
    </message>
    <message>
        <source>metadata-only copy-up</source>
        <translation>메타데이터만 copy-up</translation>
    </message>
    <message>
        <source>new entry</source>
        <translation>새 항목</translation>
    </message>
    <message>
        <source>whiteout</source>
        <translation>화이트아웃</translation>
    </message>
    <message>
        <source>opaque dir</source>
        <translation>불투명 디렉터리</translation>
    </message>
    <message>
        <source>redirect</source>
        <translation>리디렉트</translation>
    </message>
    <message>
        <source>origin xattr</source>
        <translation>origin xattr</translation>
    </message>
    <message>
        <source>impure xattr</source>
        <translation>impure xattr</translation>
    </message>
    <message>
        <source>index entry</source>
        <translation>인덱스 항목</translation>
    </message>
    <message>
        <source>modified</source>
        <translation>수정됨</translation>
    </message>
    <message>
        <source>removed</source>
        <translation>제거됨</translation>
    </message>
    <message>
        <source>index entry changed</source>
        <translation>인덱스 항목 변경</translation>
    </message>
    <message>
        <source>index entry removed</source>
        <translation>인덱스 항목 제거</translation>
    </message>
    <message>
        <source>The kernel copied the whole file from a lower layer into the upper dir before changing it.</source>
        <translation>커널이 파일을 바꾸기 전에 하위 레이어에서 upper 디렉터리로 파일 전체를 복사했습니다.</translation>
    </message>
    <message>
        <source>metacopy=on: only the metadata was copied up; reads still get the data from below until a write.</source>
        <translation>metacopy=on: 메타데이터만 copy-up되었습니다. 쓰기 전까지 읽기는 여전히 아래 레이어의 데이터를 읽습니다.</translation>
    </message>
    <message>
        <source>A new entry in the upper dir that no lower layer has.</source>
        <translation>어떤 하위 레이어에도 없는, upper 디렉터리의 새 항목입니다.</translation>
    </message>
    <message>
        <source>A whiteout (a 0/0 character device) now hides the lower entry.</source>
        <translation>화이트아웃(0/0 문자 장치)이 이제 하위 항목을 가립니다.</translation>
    </message>
    <message>
        <source>The directory became opaque: nothing below it shows through any more.</source>
        <translation>디렉터리가 불투명해졌습니다: 아래의 내용이 더 이상 보이지 않습니다.</translation>
    </message>
    <message>
        <source>redirect_dir: the renamed directory records where its lower content lives.</source>
        <translation>redirect_dir: 이름이 바뀐 디렉터리가 하위 내용의 위치를 기록합니다.</translation>
    </message>
    <message>
        <source>index=on: the kernel recorded the copied-up inode in workdir/index, so hardlinks stay linked.</source>
        <translation>index=on: 커널이 copy-up된 inode를 workdir/index에 기록하므로 하드링크가 유지됩니다.</translation>
    </message>
    <message>
        <source>absent</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>시간(초)</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>이벤트</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>Before → after</source>
        <translation>이전 → 이후</translation>
    </message>
    <message>
        <source>In the upper dir</source>
        <translation>upper 디렉터리 안의 위치</translation>
    </message>
    <message>
        <source>Process</source>
        <translation>프로세스</translation>
    </message>
    <message>
        <source>Bytes copied</source>
        <translation>복사된 바이트</translation>
    </message>
</context>
<context>
    <name>strata::FilePane</name>
    <message>
        <source>Not in the merged view: this is the version in %1, which the merged view hides.</source>
        <translation>병합 뷰에 없음: 병합 뷰가 가리는 %1의 버전입니다.</translation>
    </message>
    <message>
        <source>Contents identical</source>
        <translation>내용 동일</translation>
    </message>
    <message>
        <source>mode %1 → %2</source>
        <translation>모드 %1 → %2</translation>
    </message>
    <message>
        <source>owner %1 → %2</source>
        <translation>소유자 %1 → %2</translation>
    </message>
    <message>
        <source>size %1 → %2 bytes</source>
        <translation>크기 %1 → %2 바이트</translation>
    </message>
    <message>
        <source>modified %1 → %2</source>
        <translation>수정 시각 %1 → %2</translation>
    </message>
    <message>
        <source>target %1 → %2</source>
        <translation>대상 %1 → %2</translation>
    </message>
    <message>
        <source>no metadata differs</source>
        <translation>메타데이터 차이 없음</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>내용</translation>
    </message>
    <message>
        <source>Diff</source>
        <translation>차이</translation>
    </message>
    <message>
        <source>Hex</source>
        <translation>16진수</translation>
    </message>
    <message>
        <source>(not a regular file)</source>
        <translation>(일반 파일이 아님)</translation>
    </message>
    <message>
        <source>(binary data: see the Hex tab)</source>
        <translation>(바이너리 데이터: 16진수 탭을 보세요)</translation>
    </message>
    <message>
        <source>
… cut at %1 MiB</source>
        <translation>
… %1 MiB에서 잘림</translation>
    </message>
    <message>
        <source>The older version</source>
        <translation>이전 버전</translation>
    </message>
    <message>
        <source>The newer version</source>
        <translation>새 버전</translation>
    </message>
    <message>
        <source>merged</source>
        <translation>병합</translation>
    </message>
    <message>
        <source>No versions of a regular file to compare.</source>
        <translation>비교할 일반 파일 버전이 없습니다.</translation>
    </message>
    <message>
        <source>Only one version: nothing to compare with.</source>
        <translation>버전이 하나뿐이라 비교할 것이 없습니다.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
</context>
<context>
    <name>strata::FilterBar</name>
    <message>
        <source>Only changes</source>
        <translation>변경만</translation>
    </message>
    <message>
        <source>Search names (Ctrl+F)</source>
        <translation>이름 검색 (Ctrl+F)</translation>
    </message>
    <message>
        <source>min size</source>
        <translation>최소 크기</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>모든 종류</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Directories</source>
        <translation>디렉터리</translation>
    </message>
    <message>
        <source>Symlinks</source>
        <translation>심볼릭 링크</translation>
    </message>
    <message>
        <source>Devices and whiteouts</source>
        <translation>장치와 화이트아웃</translation>
    </message>
    <message>
        <source>Changes in any layer</source>
        <translation>모든 레이어의 변경</translation>
    </message>
    <message>
        <source>Changes in %1</source>
        <translation>%1의 변경</translation>
    </message>
    <message>
        <source>Not a size: write a number with an optional unit, e.g. 300, 100k, 10M, 1.5 GiB</source>
        <translation>크기가 아닙니다. 숫자와 선택적 단위로 쓰세요. 예: 300, 100k, 10M, 1.5 GiB</translation>
    </message>
    <message>
        <source>Only files at least this large, e.g. 100k, 10M, 1.5 GiB</source>
        <translation>이 크기 이상인 파일만. 예: 100k, 10M, 1.5 GiB</translation>
    </message>
    <message>
        <source>Nothing matches the filters.</source>
        <translation>필터에 맞는 항목이 없습니다.</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1개 일치</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1개 일치</translation>
    </message>
</context>
<context>
    <name>strata::LayerListModel</name>
    <message>
        <source>Duplicated</source>
        <translation>중복</translation>
    </message>
    <message>
        <source>Copied up</source>
        <translation>복사됨</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1%</translation>
    </message>
    <message>
        <source>Bytes this layer duplicates from below: its regular files that replace a regular file of a lower layer. The cost of its copy-ups and rewrites, charged to the layer that caused it.</source>
        <translation>이 레이어가 아래에서 중복한 바이트: 아래 레이어의 일반 파일을 대체하는 이 레이어의 일반 파일. 복사업과 다시 쓰기의 비용을, 그것을 일으킨 레이어에 매깁니다.</translation>
    </message>
    <message>
        <source>Of the duplicated bytes, those whose content is identical to the file they replace: full copies made for a chmod, chown or an unchanged write (metadata-only, copied up).</source>
        <translation>중복 바이트 중 대체한 파일과 내용이 같은 것: chmod, chown 또는 내용을 바꾸지 않은 쓰기로 만들어진 전체 복사본(메타데이터만, 복사됨).</translation>
    </message>
    <message>
        <source>Share of this layer&apos;s bytes that the merged view still reaches: (size − wasted) ÷ size. 100% when nothing of it is hidden.</source>
        <translation>병합된 뷰가 여전히 읽는 이 레이어 바이트의 비율: (크기 − 낭비) ÷ 크기. 아무것도 가려지지 않으면 100%.</translation>
    </message>
    <message>
        <source>Bytes of this layer&apos;s files that the merged view cannot reach (hidden by a layer above). Each hidden copy counts once.</source>
        <translation>병합 뷰에서 닿을 수 없는(위 레이어에 가려진) 이 레이어 파일의 바이트 수. 가려진 사본은 한 번씩만 셉니다.</translation>
    </message>
    <message>
        <source>upper</source>
        <translation>상위</translation>
    </message>
    <message>
        <source>data %1</source>
        <translation>데이터 %1</translation>
    </message>
    <message>
        <source>lower %1</source>
        <translation>하위 %1</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>레이어</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>디렉터리</translation>
    </message>
    <message>
        <source>Entries</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Modified</source>
        <translation>수정</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Wasted</source>
        <translation>낭비</translation>
    </message>
    <message>
        <source>Efficiency</source>
        <translation>효율</translation>
    </message>
    <message>
        <source>Blob %1
%2 bytes stored (%3), %4 bytes of tar</source>
        <translation>블롭 %1
저장 %2바이트 (%3), tar %4바이트</translation>
    </message>
    <message>
        <source>%1 · %2 %3 → %4 tar</source>
        <translation>%1 · %2 %3 → tar %4</translation>
    </message>
    <message>
        <source>%1 · %2 %3</source>
        <translation>%1 · %2 %3</translation>
    </message>
    <message>
        <source>Image layers: the blob&apos;s digest, its stored (compressed) size and the size of the tar it holds.</source>
        <translation>이미지 레이어: 블롭의 다이제스트, 저장된(압축) 크기, 담긴 tar의 크기.</translation>
    </message>
    <message>
        <source>Blob</source>
        <translation>블롭</translation>
    </message>
</context>
<context>
    <name>strata::LegendWidget</name>
    <message>
        <source>Legend:</source>
        <translation>범례:</translation>
    </message>
</context>
<context>
    <name>strata::LessonPane</name>
    <message>
        <source>Export Transcript</source>
        <translation>기록 내보내기</translation>
    </message>
    <message>
        <source>HTML (*.html)</source>
        <translation>HTML (*.html)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Pick a lesson and press &lt;b&gt;Start&lt;/b&gt;: Strata creates its layers, opens them and mounts them live.&lt;/p&gt;</source>
        <translation>&lt;p&gt;레슨을 고르고 &lt;b&gt;시작&lt;/b&gt;을 누르세요: Strata가 레이어를 만들고 열어서 라이브로 마운트합니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>%2단계 중 %1단계</translation>
    </message>
    <message>
        <source>Look for:</source>
        <translation>확인할 것:</translation>
    </message>
    <message>
        <source>(mount to check)</source>
        <translation>(마운트하면 확인합니다)</translation>
    </message>
    <message>
        <source>What the kernel did</source>
        <translation>커널이 한 일</translation>
    </message>
    <message>
        <source>The window</source>
        <translation>창</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>시작</translation>
    </message>
    <message>
        <source>Creates the lesson&apos;s layers, opens them and mounts them live</source>
        <translation>레슨의 레이어를 만들고 열어서 라이브로 마운트합니다</translation>
    </message>
    <message>
        <source>Show Me</source>
        <translation>보여 주기</translation>
    </message>
    <message>
        <source>Does this step&apos;s action in the merged dir</source>
        <translation>이 단계의 동작을 merged 디렉터리에서 실행합니다</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>Next Step</source>
        <translation>다음 단계</translation>
    </message>
    <message>
        <source>Export Transcript…</source>
        <translation>기록 내보내기…</translation>
    </message>
    <message>
        <source>An HTML handout: the steps with their checks, the event timeline and a picture of the window</source>
        <translation>HTML 유인물: 단계와 확인 결과, 이벤트 타임라인, 창 그림</translation>
    </message>
    <message>
        <source>the upper dir</source>
        <translation>upper 디렉터리</translation>
    </message>
    <message>
        <source>%1 has %2%3</source>
        <translation>%1에 %2이(가) 있음%3</translation>
    </message>
    <message>
        <source>%1 has no %2</source>
        <translation>%1에 %2이(가) 없음</translation>
    </message>
    <message>
        <source>the merged view shows %1%2</source>
        <translation>병합 뷰에 %1이(가) 보임%2</translation>
    </message>
    <message>
        <source>the merged view has no %1</source>
        <translation>병합 뷰에 %1이(가) 없음</translation>
    </message>
    <message>
        <source>%1 reads &quot;%2&quot; in the merged view</source>
        <translation>병합 뷰에서 %1을(를) 읽으면 &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1 in %2 is %3</source>
        <translation>%2의 %1: %3</translation>
    </message>
    <message>
        <source>the kernel reported %1 for %2</source>
        <translation>커널이 %2에 대해 %1을(를) 보고함</translation>
    </message>
</context>
<context>
    <name>strata::ListingExporter</name>
    <message>
        <source>Cannot write %1</source>
        <translation>%1에 쓸 수 없습니다</translation>
    </message>
</context>
<context>
    <name>strata::LiveSession</name>
    <message>
        <source>killed by signal %1</source>
        <translation>시그널 %1로 종료됨</translation>
    </message>
    <message>
        <source>exit status %1</source>
        <translation>종료 상태 %1</translation>
    </message>
    <message>
        <source>Rootless: the overlay runs with userxattr, so redirect_dir, metacopy and trusted.* xattrs are not available, files owned by other users cannot be changed, and events do not name the process.</source>
        <translation>루트 없는 모드: 오버레이가 userxattr로 동작하므로 redirect_dir, metacopy, trusted.* xattr을 쓸 수 없고, 다른 사용자 소유의 파일은 바꿀 수 없으며, 이벤트에 프로세스 이름이 나오지 않습니다.</translation>
    </message>
</context>
<context>
    <name>strata::MainWindow</name>
    <message>
        <source>What Wastes Space…</source>
        <translation>공간을 낭비하는 것…</translation>
    </message>
    <message>
        <source>Layers side by side</source>
        <translation>나란히 보는 레이어</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>열기…</translation>
    </message>
    <message>
        <source>Scanning %1…</source>
        <translation>%1 검사 중…</translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s) · %1 entries · %2 merged paths · scanned in %3 ms</source>
        <translation>
            <numerusform>레이어 %n개 · 항목 %1개 · 병합된 경로 %2개 · %3 ms 만에 검사</numerusform>
        </translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl *.json)</source>
        <translation>JSON Lines (*.jsonl *.json)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 이미지 (*.png)</translation>
    </message>
    <message>
        <source>About Strata</source>
        <translation>Strata 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Strata %1&lt;/h3&gt;&lt;p&gt;Explore OverlayFS stacks and container image layers: every layer side by side with the merged view, as the kernel computes it.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Strata %1&lt;/h3&gt;&lt;p&gt;OverlayFS 스택과 컨테이너 이미지 레이어를 탐색합니다: 모든 레이어를 커널이 계산하는 병합 뷰와 나란히 보여 줍니다.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>Export Merged Listing as JSON…</source>
        <translation>병합 목록을 JSON으로 내보내기…</translation>
    </message>
    <message>
        <source>Export Merged Listing as CSV…</source>
        <translation>병합 목록을 CSV로 내보내기…</translation>
    </message>
    <message>
        <source>Export Screenshot…</source>
        <translation>스크린숏 내보내기…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>끝내기</translation>
    </message>
    <message>
        <source>Sort by Size</source>
        <translation>크기순 정렬</translation>
    </message>
    <message>
        <source>Expand All</source>
        <translation>모두 펼치기</translation>
    </message>
    <message>
        <source>Collapse All</source>
        <translation>모두 접기</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소했습니다.</translation>
    </message>
    <message>
        <source>Nothing is open.</source>
        <translation>열린 것이 없습니다.</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>%1(으)로 내보내는 중…</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>%1(으)로 내보냈습니다.</translation>
    </message>
    <message>
        <source>statistics %p%</source>
        <translation>통계 %p%</translation>
    </message>
    <message>
        <source>1 problem</source>
        <translation>문제 1개</translation>
    </message>
    <message>
        <source>%1 problems</source>
        <translation>문제 %1개</translation>
    </message>
    <message>
        <source>Entries the scan could not read completely: click to list them</source>
        <translation>스캔이 다 읽지 못한 항목: 클릭하면 목록을 봅니다</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON Lines (*.jsonl *.json)</source>
        <translation>CSV (*.csv);;JSON Lines (*.jsonl *.json)</translation>
    </message>
    <message>
        <source>Export What Is Shown…</source>
        <translation>보이는 항목 내보내기…</translation>
    </message>
    <message>
        <source>The rows the tree shows now, with the filters and the as-of view applied, as CSV or JSON Lines</source>
        <translation>필터와 시점 보기를 적용해 지금 트리에 보이는 행을 CSV 또는 JSON Lines로 내보냅니다</translation>
    </message>
    <message>
        <source>Show Sizes</source>
        <translation>크기 표시</translation>
    </message>
    <message>
        <source>%1 (live)</source>
        <translation>%1 (라이브)</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>플레이그라운드</translation>
    </message>
    <message>
        <source>Mount the open stack and change files in it: watch the kernel copy up, white out and redirect</source>
        <translation>열린 스택을 마운트하고 파일을 바꿔 보세요: 커널의 copy-up, 화이트아웃, 리디렉트를 지켜볼 수 있습니다</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>레슨</translation>
    </message>
    <message>
        <source>Guided lessons: the walkthrough, whiteouts, opaque dirs and more, checked live</source>
        <translation>안내형 레슨: 따라 하기, 화이트아웃, 불투명 디렉터리 등을 라이브로 확인합니다</translation>
    </message>
    <message>
        <source>Presenter Mode</source>
        <translation>발표자 모드</translation>
    </message>
    <message>
        <source>Larger fonts for a room</source>
        <translation>강의실용 큰 글꼴</translation>
    </message>
</context>
<context>
    <name>strata::OpenDialog</name>
    <message>
        <source>userxattr (user.overlay.* xattrs, as unprivileged mounts use)</source>
        <translation>userxattr (비특권 마운트처럼 user.overlay.* xattr 사용)</translation>
    </message>
    <message>
        <source>Lower directories, topmost first (as lowerdir= lists them)</source>
        <translation>하위 디렉터리, 맨 위 레이어부터 (lowerdir= 순서)</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>추가…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>위로</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>아래로</translation>
    </message>
    <message>
        <source>Lower layers:</source>
        <translation>하위 레이어:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>optional: the upper (writable) directory</source>
        <translation>선택: 상위(쓰기 가능) 디렉터리</translation>
    </message>
    <message>
        <source>Upper layer:</source>
        <translation>상위 레이어:</translation>
    </message>
    <message>
        <source>needed with an upper dir; not read</source>
        <translation>상위 디렉터리와 함께 필요, 읽지는 않음</translation>
    </message>
    <message>
        <source>Work dir:</source>
        <translation>작업 디렉터리:</translation>
    </message>
    <message>
        <source>kernel default</source>
        <translation>커널 기본값</translation>
    </message>
    <message>
        <source>Assemble</source>
        <translation>조립</translation>
    </message>
    <message>
        <source>Paste mount options, a line of mount or findmnt, /proc/self/mountinfo, or the GraphDriver part of docker inspect</source>
        <translation>마운트 옵션, mount나 findmnt의 한 줄, /proc/self/mountinfo, 또는 docker inspect의 GraphDriver 부분을 붙여 넣으세요</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>붙여 넣기</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>최근</translation>
    </message>
    <message>
        <source>Add a lower layer</source>
        <translation>하위 레이어 추가</translation>
    </message>
    <message>
        <source>Choose the upper layer</source>
        <translation>상위 레이어 선택</translation>
    </message>
    <message>
        <source>Add at least one lower layer.</source>
        <translation>하위 레이어를 하나 이상 추가하세요.</translation>
    </message>
    <message>
        <source>Choose a recent stack.</source>
        <translation>최근 스택을 고르세요.</translation>
    </message>
    <message>
        <source>Topmost first: the first line lies right below the upper layer, the last line is the bottom layer. Add puts a directory on top.</source>
        <translation>맨 위부터: 첫 줄은 상위 레이어 바로 아래, 마지막 줄은 가장 아래 레이어입니다. 추가하면 맨 위에 들어갑니다.</translation>
    </message>
    <message>
        <source>Open a stack or an image</source>
        <translation>스택 또는 이미지 열기</translation>
    </message>
    <message>
        <source>OCI Layout Folder…</source>
        <translation>OCI 레이아웃 폴더…</translation>
    </message>
    <message>
        <source>docker save Archive…</source>
        <translation>docker save 아카이브…</translation>
    </message>
    <message>
        <source>Look Again</source>
        <translation>다시 찾기</translation>
    </message>
    <message>
        <source>Found on this machine</source>
        <translation>이 컴퓨터에서 찾은 항목</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>세부 정보</translation>
    </message>
    <message>
        <source>SOURCE:</source>
        <translation>SOURCE:</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>이미지</translation>
    </message>
    <message>
        <source>Choose an OCI image layout</source>
        <translation>OCI 이미지 레이아웃 선택</translation>
    </message>
    <message>
        <source>Choose a docker save archive</source>
        <translation>docker save 아카이브 선택</translation>
    </message>
    <message>
        <source>Tar archives (*.tar);;All files (*)</source>
        <translation>Tar 아카이브 (*.tar);;모든 파일 (*)</translation>
    </message>
    <message>
        <source>Looking for images, containers and overlay mounts…</source>
        <translation>이미지, 컨테이너, 오버레이 마운트를 찾는 중…</translation>
    </message>
    <message>
        <source>Containers</source>
        <translation>컨테이너</translation>
    </message>
    <message>
        <source>Overlay mounts</source>
        <translation>오버레이 마운트</translation>
    </message>
    <message>
        <source>Container storage is readable by root only: run Strata as root to open it.</source>
        <translation>컨테이너 저장소는 root만 읽을 수 있습니다. 열려면 Strata를 root로 실행하세요.</translation>
    </message>
    <message>
        <source>No images, containers or overlay mounts found here. Choose an OCI layout or a docker save archive, or type a SOURCE.</source>
        <translation>여기에는 이미지, 컨테이너, 오버레이 마운트가 없습니다. OCI 레이아웃이나 docker save 아카이브를 고르거나 SOURCE를 입력하세요.</translation>
    </message>
    <message>
        <source>Choose an image, a container or a mount, or type a SOURCE.</source>
        <translation>이미지, 컨테이너 또는 마운트를 고르거나 SOURCE를 입력하세요.</translation>
    </message>
</context>
<context>
    <name>strata::PathActions</name>
    <message>
        <source>Copy Path</source>
        <translation>경로 복사</translation>
    </message>
    <message>
        <source>Copy SOURCE</source>
        <translation>SOURCE 복사</translation>
    </message>
    <message>
        <source>The overlay:… text that opens this stack again (strata, strata-cli)</source>
        <translation>이 스택을 다시 여는 overlay:… 텍스트 (strata, strata-cli)</translation>
    </message>
    <message>
        <source>Open Containing Folder</source>
        <translation>포함 폴더 열기</translation>
    </message>
    <message>
        <source>Show in Layer</source>
        <translation>레이어에서 보기</translation>
    </message>
</context>
<context>
    <name>strata::PlaygroundActions</name>
    <message>
        <source>Edit…</source>
        <translation>편집…</translation>
    </message>
    <message>
        <source>Append…</source>
        <translation>덧붙이기…</translation>
    </message>
    <message>
        <source>Truncate…</source>
        <translation>자르기…</translation>
    </message>
    <message>
        <source>Change Mode…</source>
        <translation>권한 변경…</translation>
    </message>
    <message>
        <source>Change Owner…</source>
        <translation>소유자 변경…</translation>
    </message>
    <message>
        <source>Touch</source>
        <translation>touch</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>이름 바꾸기…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>New Directory…</source>
        <translation>새 디렉터리…</translation>
    </message>
    <message>
        <source>New File…</source>
        <translation>새 파일…</translation>
    </message>
    <message>
        <source>New Symlink…</source>
        <translation>새 심볼릭 링크…</translation>
    </message>
    <message>
        <source>New Hardlink…</source>
        <translation>새 하드링크…</translation>
    </message>
    <message>
        <source>Set Xattr…</source>
        <translation>xattr 설정…</translation>
    </message>
    <message>
        <source>Remove Xattr…</source>
        <translation>xattr 제거…</translation>
    </message>
    <message>
        <source>Keep Open Read-Only</source>
        <translation>읽기 전용으로 열어 두기</translation>
    </message>
    <message>
        <source>Opens the file read-only and keeps it open: since Linux 4.19 a kept reader sees the data another writer copies up</source>
        <translation>파일을 읽기 전용으로 열어 둡니다: Linux 4.19부터는 열어 둔 읽기 쪽도 다른 쓰기 쪽이 copy-up한 데이터를 봅니다</translation>
    </message>
    <message>
        <source>Playground</source>
        <translation>플레이그라운드</translation>
    </message>
    <message>
        <source>Append</source>
        <translation>덧붙이기</translation>
    </message>
    <message>
        <source>Text to append to %1:</source>
        <translation>%1에 덧붙일 텍스트:</translation>
    </message>
    <message>
        <source>Truncate</source>
        <translation>자르기</translation>
    </message>
    <message>
        <source>New size of %1 in bytes:</source>
        <translation>%1의 새 크기(바이트):</translation>
    </message>
    <message>
        <source>Change Mode</source>
        <translation>권한 변경</translation>
    </message>
    <message>
        <source>Octal mode for %1 (e.g. 600):</source>
        <translation>%1의 8진수 권한(예: 600):</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an octal mode.</source>
        <translation>&apos;%1&apos;은(는) 8진수 권한이 아닙니다.</translation>
    </message>
    <message>
        <source>Change Owner</source>
        <translation>소유자 변경</translation>
    </message>
    <message>
        <source>Owner of %1 as uid:gid:</source>
        <translation>%1의 소유자(uid:gid):</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not uid:gid.</source>
        <translation>&apos;%1&apos;은(는) uid:gid 형식이 아닙니다.</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>New path for %1:</source>
        <translation>%1의 새 경로:</translation>
    </message>
    <message>
        <source>Delete %1 in the merged dir (directories with everything in them, as rm -rf does)?</source>
        <translation>merged 디렉터리에서 %1을(를) 삭제할까요? (디렉터리는 rm -rf처럼 안의 모든 것과 함께 삭제합니다)</translation>
    </message>
    <message>
        <source>New Directory</source>
        <translation>새 디렉터리</translation>
    </message>
    <message>
        <source>Name of the new directory in %1:</source>
        <translation>%1 안에 만들 새 디렉터리 이름:</translation>
    </message>
    <message>
        <source>New File</source>
        <translation>새 파일</translation>
    </message>
    <message>
        <source>Name of the new file in %1:</source>
        <translation>%1 안에 만들 새 파일 이름:</translation>
    </message>
    <message>
        <source>New Symlink</source>
        <translation>새 심볼릭 링크</translation>
    </message>
    <message>
        <source>Name of the new symlink in %1:</source>
        <translation>%1 안에 만들 새 심볼릭 링크 이름:</translation>
    </message>
    <message>
        <source>Where %1 points to:</source>
        <translation>%1이(가) 가리킬 대상:</translation>
    </message>
    <message>
        <source>New Hardlink</source>
        <translation>새 하드링크</translation>
    </message>
    <message>
        <source>A new name for %1:</source>
        <translation>%1의 새 이름:</translation>
    </message>
    <message>
        <source>Set Xattr</source>
        <translation>xattr 설정</translation>
    </message>
    <message>
        <source>name=value for %1:</source>
        <translation>%1에 설정할 name=value:</translation>
    </message>
    <message>
        <source>Remove Xattr</source>
        <translation>xattr 제거</translation>
    </message>
    <message>
        <source>Name of the xattr to remove from %1:</source>
        <translation>%1에서 제거할 xattr 이름:</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>편집</translation>
    </message>
    <message>
        <source>Only regular files can be edited.</source>
        <translation>일반 파일만 편집할 수 있습니다.</translation>
    </message>
    <message>
        <source>%1 is too big to edit here; use Append or Truncate.</source>
        <translation>%1은(는) 여기서 편집하기에 너무 큽니다. 덧붙이기나 자르기를 쓰세요.</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>%1 편집</translation>
    </message>
    <message>
        <source>Saving writes the file in the merged dir: the kernel copies it up first if a lower layer holds it.</source>
        <translation>저장하면 merged 디렉터리의 파일에 씁니다: 하위 레이어에 있는 파일이면 커널이 먼저 copy-up합니다.</translation>
    </message>
</context>
<context>
    <name>strata::PlaygroundPanel</name>
    <message>
        <source>✗ %1 %2: %3</source>
        <translation>✗ %1 %2: %3</translation>
    </message>
    <message>
        <source>✗ %1</source>
        <translation>✗ %1</translation>
    </message>
    <message>
        <source>[%1]</source>
        <translation>[%1]</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>기록</translation>
    </message>
    <message>
        <source>Session scripts (*.txt)</source>
        <translation>세션 스크립트 (*.txt)</translation>
    </message>
    <message>
        <source>Saved %1 operations to %2: replay with strata-cli session SOURCE --script %2</source>
        <translation>작업 %1개를 %2에 저장했습니다: strata-cli session SOURCE --script %2 로 다시 실행할 수 있습니다</translation>
    </message>
    <message>
        <source>Unmount</source>
        <translation>마운트 해제</translation>
    </message>
    <message>
        <source>Mount</source>
        <translation>마운트</translation>
    </message>
    <message>
        <source>Not mounted. Mount turns the open stack into a live one: a fresh upper dir over its layers, mounted by strata-helper in its own mount namespace.</source>
        <translation>마운트되지 않음. 마운트하면 열린 스택이 라이브가 됩니다: 레이어 위에 새 upper 디렉터리를 두고 strata-helper가 자체 마운트 네임스페이스에서 마운트합니다.</translation>
    </message>
    <message>
        <source>Mounting…</source>
        <translation>마운트하는 중…</translation>
    </message>
    <message>
        <source>Live (%1): upper dir %2%3</source>
        <translation>라이브(%1): upper 디렉터리 %2%3</translation>
    </message>
    <message>
        <source> · options %1</source>
        <translation> · 옵션 %1</translation>
    </message>
    <message numerus="yes">
        <source>Copy-up cost: %1 in %n file(s) copied up</source>
        <translation>
            <numerusform>copy-up 비용: 파일 %n개를 copy-up하며 %1</numerusform>
        </translation>
    </message>
    <message>
        <source> · written by you: %1</source>
        <translation> · 직접 쓴 양: %1</translation>
    </message>
    <message numerus="yes">
        <source> · %n metadata-only</source>
        <translation>
            <numerusform> · 메타데이터만 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>The bytes the upper dir holds only because the kernel copied whole files up before changing them, next to the bytes your operations wrote.</source>
        <translation>커널이 파일을 바꾸기 전에 통째로 copy-up했기 때문에 upper 디렉터리가 갖게 된 바이트와, 작업으로 직접 쓴 바이트를 나란히 보여 줍니다.</translation>
    </message>
    <message>
        <source>Helper:</source>
        <translation>헬퍼:</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Rootless</source>
        <translation>루트 없이</translation>
    </message>
    <message>
        <source>As root (pkexec)</source>
        <translation>root로 (pkexec)</translation>
    </message>
    <message>
        <source>Direct (already root)</source>
        <translation>직접 (이미 root)</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>초기화</translation>
    </message>
    <message>
        <source>Puts the upper dir back as it was when mounted, byte for byte, and mounts again</source>
        <translation>upper 디렉터리를 마운트할 때의 상태로 바이트 단위까지 되돌리고 다시 마운트합니다</translation>
    </message>
    <message>
        <source>Record…</source>
        <translation>기록…</translation>
    </message>
    <message>
        <source>Saves the operations and their events as a script that strata-cli session replays</source>
        <translation>작업과 이벤트를 strata-cli session이 다시 실행할 수 있는 스크립트로 저장합니다</translation>
    </message>
    <message>
        <source>Operations</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>A command to run in the merged root, e.g. cat /etc/os-release</source>
        <translation>merged 루트에서 실행할 명령, 예: cat /etc/os-release</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>네트워크</translation>
    </message>
    <message>
        <source>A network namespace of its own with the loopback up</source>
        <translation>루프백이 켜진 자체 네트워크 네임스페이스</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
</context>
<context>
    <name>strata::ProblemCellDelegate</name>
    <message>
        <source>%1 Could not be read completely: %2. What it holds may be missing here.</source>
        <translation>%1 다 읽지 못했습니다: %2. 안에 든 것이 여기 빠져 있을 수 있습니다.</translation>
    </message>
</context>
<context>
    <name>strata::ProblemsDialog</name>
    <message>
        <source>Problems</source>
        <translation>문제</translation>
    </message>
    <message>
        <source>These entries could not be read completely; the views show what could be read. Run Strata as a user who may read every layer (the owner, or root) to see all.</source>
        <translation>이 항목들은 다 읽지 못했습니다. 화면에는 읽은 것만 나옵니다. 모두 보려면 모든 레이어를 읽을 수 있는 사용자(소유자 또는 root)로 Strata를 실행하세요.</translation>
    </message>
</context>
<context>
    <name>strata::RecentSources</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 항목 열기(&amp;R)</translation>
    </message>
    <message>
        <source>%1 over %2 · %3 layers</source>
        <translation>%2 위 %1 · 레이어 %3개</translation>
    </message>
</context>
<context>
    <name>strata::SideBySideDiff</name>
    <message>
        <source>Loading…</source>
        <translation>불러오는 중…</translation>
    </message>
</context>
<context>
    <name>strata::TreeColumns</name>
    <message>
        <source>Show All Columns</source>
        <translation>모든 열 표시</translation>
    </message>
    <message>
        <source>Widen %1</source>
        <translation>%1 넓히기</translation>
    </message>
    <message>
        <source>Collapse %1 to a Strip</source>
        <translation>%1 좁은 띠로 접기</translation>
    </message>
    <message>
        <source>Only %1 and the Merged View</source>
        <translation>%1과(와) 병합 뷰만</translation>
    </message>
</context>
<context>
    <name>strata::UnionTreeModel</name>
    <message>
        <source>What the kernel shows at the mount point</source>
        <translation>커널이 마운트 지점에서 보여 주는 내용</translation>
    </message>
    <message>
        <source>merged as of %1 (%2)</source>
        <translation>병합 — %1 시점 (%2)</translation>
    </message>
    <message>
        <source>merged (%1)</source>
        <translation>병합 (%1)</translation>
    </message>
    <message>
        <source>The tree as it stood after %1: the layers up to it mounted as lowers. The layers above are dimmed.</source>
        <translation>%1까지 적용된 시점의 트리: 그 레이어까지를 하위 레이어로 마운트한 모습입니다. 그 위 레이어는 흐리게 표시됩니다.</translation>
    </message>
    <message>
        <source>Above the layer the tree is shown as of: not part of the merged column now.</source>
        <translation>표시 시점 레이어보다 위: 지금 병합 열에 포함되지 않습니다.</translation>
    </message>
</context>
<context>
    <name>strata::WasteDialog</name>
    <message>
        <source>What Wastes Space</source>
        <translation>공간을 낭비하는 것</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>이유</translation>
    </message>
    <message>
        <source>Stored in</source>
        <translation>저장 위치</translation>
    </message>
    <message>
        <source>Hidden by</source>
        <translation>가린 레이어</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>경로</translation>
    </message>
    <message>
        <source>overwritten by another version</source>
        <translation>다른 버전으로 덮어씀</translation>
    </message>
    <message>
        <source>deleted by a whiteout</source>
        <translation>화이트아웃으로 삭제됨</translation>
    </message>
    <message>
        <source>hidden by an opaque directory</source>
        <translation>불투명 디렉터리에 가려짐</translation>
    </message>
    <message>
        <source>copied up by a metadata change (contents identical)</source>
        <translation>메타데이터 변경으로 복사됨(내용 동일)</translation>
    </message>
    <message>
        <source>not reachable by the kernel&apos;s lookup</source>
        <translation>커널의 조회가 닿지 않음</translation>
    </message>
    <message>
        <source>The statistics are still loading; open this again when they are complete.</source>
        <translation>통계를 아직 불러오는 중입니다. 완료되면 다시 여세요.</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>계산 중…</translation>
    </message>
    <message>
        <source>%1 wasted in %2 files of %3 stored: efficiency %4. Duplicated from lower layers: %5, of which %6 are full copies with identical contents.</source>
        <translation>저장된 %3 중 파일 %2개에서 %1 낭비: 효율 %4. 아래 레이어에서 중복된 것: %5, 그중 %6는 내용이 같은 전체 복사본입니다.</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 바이트</translation>
    </message>
</context>
<context>
    <name>strata::WelcomePage</name>
    <message>
        <source>No stack is open</source>
        <translation>열린 스택이 없습니다</translation>
    </message>
    <message>
        <source>Strata lays the layers of an OverlayFS stack side by side with the merged view the kernel would show. Choose the lower layers, the upper dir and the options, or paste a mount line or docker inspect&apos;s GraphDriver.</source>
        <translation>Strata는 OverlayFS 스택의 레이어를 커널이 보여 줄 병합 뷰와 나란히 놓습니다. 하위 레이어, 상위 디렉터리와 옵션을 고르거나, mount 줄이나 docker inspect의 GraphDriver를 붙여 넣으세요.</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>열기…</translation>
    </message>
    <message>
        <source>Open the Demo Stack</source>
        <translation>데모 스택 열기</translation>
    </message>
    <message>
        <source>Two lower layers and an upper dir with a changed file and a whiteout, made fresh in a temporary directory</source>
        <translation>하위 레이어 두 개와, 바뀐 파일 하나와 화이트아웃이 있는 상위 디렉터리. 임시 디렉터리에 새로 만듭니다</translation>
    </message>
    <message>
        <source>Recent stacks (double-click to open):</source>
        <translation>최근 스택 (두 번 클릭하면 열림):</translation>
    </message>
    <message>
        <source>Or drop layer folders here: the topmost first.</source>
        <translation>또는 레이어 폴더를 여기에 끌어다 놓으세요. 맨 위 레이어부터.</translation>
    </message>
</context>
</TS>
