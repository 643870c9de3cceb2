<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en">
<context>
    <name>ChangeStyle</name>
    <message>
        <source>absent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metadata only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>orphan whiteout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phantom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opaque</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redirected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copied up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This layer has nothing at this path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Present and the same as the version below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New in this layer: nothing below it has this path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The content differs from the version below, which it hides.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only permissions, owner or times differ (a metacopy entry keeps just the metadata; the data stays below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A different kind of entry (for example a directory instead of a file) replaces the one below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A whiteout: the kernel keeps a 0/0 character device with this name so the merged view hides the version below.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A whiteout that hides nothing: no layer below has this path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A whiteout in a directory that is not merged: the kernel lists the name, but looking it up fails (No such file or directory).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An opaque directory: everything below it in lower layers is hidden.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A renamed directory: its lower content is found at the path its redirect xattr names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied up from a lower layer (its origin xattr names the lower entry) and otherwise unchanged.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FilePane</name>
    <message>
        <source>Too large to compare line by line.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LayerCellDelegate</name>
    <message>
        <source>%1 is not in the merged view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 comes from %2 (%3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was deleted in %2: the kernel keeps a 0/0 character device named %1 there so the merged view hides %3&apos;s %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2 has new content; it hides %3&apos;s %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is new in %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore OverlayFS stacks and container image layers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Render the window into a PNG file and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select this path after loading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User interface language (en, ko).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use a dark palette.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log debug messages to stderr.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overlay:OPTIONS (mount -t overlay -o OPTIONS)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>strata::DetailsPane</name>
    <message>
        <source>&lt;p&gt;Merged view: provided by &lt;b&gt;%1&lt;/b&gt; (%2).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Metadata from %1, data from %2 (metacopy).&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;Not in the merged view: hidden by a layer above.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlay xattrs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>opaque</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds xattr whiteouts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>redirect → %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>metacopy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>origin (copied up)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>impure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>xattr whiteout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>whiteout (char 0/0)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>strata::FilePane</name>
    <message>
        <source>Content</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not a regular file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(binary data: see the Hex tab)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
… cut at %1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 ↔ %2&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No lower version to compare with.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>strata::LayerListModel</name>
    <message>
        <source>Bytes of this layer&apos;s files that the merged view cannot reach (hidden by a layer above). Each hidden copy counts once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lower %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Modified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wasted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Efficiency</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>strata::LegendWidget</name>
    <message>
        <source>Legend:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>strata::MainWindow</name>
    <message>
        <source>Only changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strata</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layers side by side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select the next changed path (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search names (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scanning %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s) · %1 entries · %2 merged paths · scanned in %3 ms</source>
        <translation type="unfinished">
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Strata — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open overlay stack</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mount options as mount or findmnt show them
(lowerdir=top:…:bottom,upperdir=…,workdir=…):</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>strata::UnionTreeModel</name>
    <message>
        <source>merged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the kernel shows at the mount point</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>data %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lower %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
