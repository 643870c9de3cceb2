// SPDX-License-Identifier: GPL-3.0-or-later
// The explorer on the seed's demo stack (offscreen): models under QAbstractItemModelTester, the
// window's columns, filters, search, details and tooltips.
#include "changefilterproxy.h"
#include "filepane.h"
#include "opendialog.h"
#include "problemcelldelegate.h"
#include "problemsdialog.h"
#include "filterbar.h"
#include "pathactions.h"
#include "errorpage.h"
#include "welcomepage.h"
#include "reports.h"
#include "sidebysidediff.h"
#include "translations.h"
#include "demostack.h"
#include "detailspane.h"
#include "layercelldelegate.h"
#include "layerlistmodel.h"
#include "listingexporter.h"
#include "legendwidget.h"
#include "mainwindow.h"
#include "roles.h"
#include "tartestutil.h"
#include "testutil.h"
#include "asofbar.h"
#include "treecolumns.h"
#include "uniontreemodel.h"

#include <QAbstractItemModelTester>
#include <QAbstractTextDocumentLayout>
#include <QDirIterator>
#include <QHeaderView>
#include <QScrollBar>
#include <QClipboard>
#include <QComboBox>
#include <QTableView>
#include <QDockWidget>
#include <QLabel>
#include <QPushButton>
#include <QTextBlock>
#include <QTextLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QSettings>
#include <QTextDocument>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QTabWidget>
#include <QApplication>
#include <QScopeGuard>
#include <QTreeWidget>
#include <sys/mount.h>
#include <cerrno>
#include <cstring>
#include <memory>
#include <QSignalSpy>
#include <QTreeView>

#include <optional>

using namespace strata;

namespace {
// STRATA_TEST_SHOTS=DIR keeps pictures of the pages a test reaches, for a human to look at.
void saveShot(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("STRATA_TEST_SHOTS");
    if (!dir.isEmpty())
        widget.grab().save(dir + u'/' + name + QStringLiteral(".png"));
}
}

namespace {
// Sizes: layer cells, merged cells, nested directories.
struct SizedStack {
    LayerBuilder low, mid, up;
    SizedStack()
    {
        low.file(QStringLiteral("big/a"), QByteArray(1000, 'a'));
        low.file(QStringLiteral("big/b"), QByteArray(3000, 'b'));
        low.file(QStringLiteral("big/deep/d"), QByteArray(40, 'd'));
        low.file(QStringLiteral("small/x"), QByteArray(10, 'x'));
        low.file(QStringLiteral("gone/y"), QByteArray(5, 'y'));
        mid.file(QStringLiteral("big/c"), QByteArray(500, 'c'));
        mid.whiteout(QStringLiteral("gone"));
        mid.file(QStringLiteral("newdir/z"), QByteArray(7, 'z'));
        up.file(QStringLiteral("big/a"), QByteArray(2000, 'A'));
        up.file(QStringLiteral("late/q"), QByteArray(9, 'q'));
    }
    QString source() const { return stackSource({low.root(), mid.root()}, up.root()); }
};

// Bytes of the regular files below `dir` on disk, walked independently of the engine.
// The uncompressed sizes of writeOciLayout's two layer tars.
std::pair<qsizetype, qsizetype> &ociTarSizes()
{
    static std::pair<qsizetype, qsizetype> sizes;
    return sizes;
}

// An OCI image layout written by hand: two gzip layers (the second deletes /etc/old with a .wh.
// whiteout and replaces /etc/motd), history with created_by. Returns its directory.
QString writeOciLayout(const QString &dir)
{
    auto put = [&](const QByteArray &data) {
        const std::string digest = sha256Of(data);
        QDir().mkpath(dir + QStringLiteral("/blobs/sha256"));
        QFile f(dir + QStringLiteral("/blobs/sha256/") + QString::fromStdString(digest.substr(7)));
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
        return digest;
    };
    const QByteArray tar1 = writeTar({{"etc/", '5'}, {"etc/motd", '0', "hello from layer 1\n"}, {"etc/old", '0', "going away\n"}, {"usr/", '5'},
                                      {"usr/big.bin", '0', QByteArray(50000, 'b')}});
    const QByteArray tar2 = writeTar({{"etc/", '5'}, {"etc/.wh.old", '0'}, {"etc/motd", '0', "hello from layer 2\n", 0644, 0, 0, {}, {}, 0, 0, 1700000100}});
    const QByteArray gz1 = writeTar({{"etc/", '5'}, {"etc/motd", '0', "hello from layer 1\n"}, {"etc/old", '0', "going away\n"}, {"usr/", '5'},
                                     {"usr/big.bin", '0', QByteArray(50000, 'b')}}, "gzip");
    const QByteArray gz2 = writeTar({{"etc/", '5'}, {"etc/.wh.old", '0'}, {"etc/motd", '0', "hello from layer 2\n", 0644, 0, 0, {}, {}, 0, 0, 1700000100}}, "gzip");
    const std::string l1 = put(gz1), l2 = put(gz2);
    ociTarSizes() = {tar1.size(), tar2.size()};
    const QByteArray config = QByteArray("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"") + sha256Of(tar1).c_str()
        + "\",\"" + sha256Of(tar2).c_str() + "\"]},\"history\":[{\"created_by\":\"ADD rootfs.tar /\"},{\"created_by\":\"RUN rm /etc/old && echo motd\"}]}";
    const std::string c = put(config);
    auto descriptor = [](const char *type, const std::string &digest, qsizetype size) {
        return QStringLiteral("{\"mediaType\":\"%1\",\"digest\":\"%2\",\"size\":%3}").arg(QLatin1StringView(type), QString::fromStdString(digest)).arg(size);
    };
    const QByteArray manifest = QStringLiteral("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":%1,\"layers\":[%2,%3]}")
                                    .arg(descriptor("application/vnd.oci.image.config.v1+json", c, config.size()),
                                         descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l1, gz1.size()),
                                         descriptor("application/vnd.oci.image.layer.v1.tar+gzip", l2, gz2.size()))
                                    .toUtf8();
    const std::string m = put(manifest);
    QFile index(dir + QStringLiteral("/index.json"));
    if (index.open(QIODevice::WriteOnly))
        index.write(QStringLiteral("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%1\",\"size\":%2,"
                                   "\"annotations\":{\"org.opencontainers.image.ref.name\":\"v1\"}}]}")
                        .arg(QString::fromStdString(m))
                        .arg(manifest.size())
                        .toUtf8());
    QFile layout(dir + QStringLiteral("/oci-layout"));
    if (layout.open(QIODevice::WriteOnly))
        layout.write("{\"imageLayoutVersion\":\"1.0.0\"}");
    return dir;
}

quint64 bytesBelow(const QString &dir)
{
    quint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo info = it.nextFileInfo();
        if (info.isFile())
            total += quint64(info.size());
    }
    return total;
}

} // namespace

class GuiTest : public QObject
{
    Q_OBJECT
    QTemporaryDir m_demoDir;
    std::shared_ptr<const OverlayStack> m_demo;
    QString m_source;

    QModelIndex find(const UnionTreeModel &model, const char *path, int column) { return model.indexOfPath(QString::fromUtf8(path), column); }
    ChangeKind kindAt(const QModelIndex &index) { return ChangeKind(index.data(ChangeKindRole).toInt()); }

private Q_SLOTS:
    void initTestCase()
    {
        auto source = createDemoStack(m_demoDir.path());
        QVERIFY2(source.hasValue(), source.hasValue() ? "" : qPrintable(source.error().message()));
        m_source = *source;
        auto stack = OverlayStack::open(m_source, QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        m_demo = std::make_shared<const OverlayStack>(std::move(stack).value());
    }

    void unionModelPassesTester()
    {
        UnionTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tester.setUseFetchMore(true);
        model.setStack(m_demo);
        QCOMPARE(model.columnCount(), 4); // lower 0, lower 1, upper, merged
        QCOMPARE(model.rowCount(), 3); // a.txt b.txt c.txt
        LayerListModel layers;
        QAbstractItemModelTester layerTester(&layers, QAbstractItemModelTester::FailureReportingMode::QtTest);
        layers.setStack(m_demo);
        QCOMPARE(layers.rowCount(), 3);
        QCOMPARE(layers.index(0, LayerListModel::LayerColumn).data().toString(), QStringLiteral("upper"));
    }

    void seedStates()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        const int merged = model.mergedColumn();
        // a.txt: deleted by a whiteout in upper, absent from merged.
        QCOMPARE(kindAt(find(model, "/a.txt", 0)), ChangeKind::Added);
        QCOMPARE(kindAt(find(model, "/a.txt", 2)), ChangeKind::Deleted);
        QVERIFY(!find(model, "/a.txt", merged).data(PresentRole).toBool());
        // b.txt: upper's version shadows image2's.
        QCOMPARE(kindAt(find(model, "/b.txt", 2)), ChangeKind::Modified);
        QCOMPARE(find(model, "/b.txt", merged).data(ProviderLayerRole).toInt(), 2);
        QCOMPARE(find(model, "/b.txt", merged).data(HiddenVersionsRole).toInt(), 1);
        // c.txt: provided by image2.
        QCOMPARE(find(model, "/c.txt", merged).data(ProviderLayerRole).toInt(), 1);
        QVERIFY(!find(model, "/c.txt", 2).data(PresentRole).toBool());
        // Tooltips say it in plain words.
        const QString tip = LayerCellDelegate::tooltipFor(find(model, "/a.txt", 2));
        QVERIFY2(tip.contains(QStringLiteral("0/0 character device")) && tip.contains(QStringLiteral("lower 0")), qPrintable(tip));
    }

    void filterProxy()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tester.setUseFetchMore(true);
        proxy.setSourceModel(&model);
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setOnlyChanges(true); // a.txt (deleted in upper), b.txt (modified), c.txt (added by image2)
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setLayerFilter(2); // what the upper layer changed
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setLayerFilter(-1);
        proxy.setOnlyChanges(false);
        proxy.setNamePattern(QStringLiteral("c.*"), ChangeFilterProxy::PatternSyntax::Wildcard);
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(PathRole).toString(), QStringLiteral("/c.txt"));
        proxy.setNamePattern(QStringLiteral("^[ab]\\."), ChangeFilterProxy::PatternSyntax::RegularExpression);
        QCOMPARE(proxy.rowCount(), 2);
    }

    void filterOffTheGuiThread()
    {
        UnionTreeModel model;
        model.setStack(m_demo);
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setAsyncThreshold(0); // every tree counts as big
        QSignalSpy applied(&proxy, &ChangeFilterProxy::filterApplied);
        proxy.setNamePattern(QStringLiteral("c.txt"));
        proxy.setNamePattern(QStringLiteral("b.txt")); // supersedes the first before it lands
        QTRY_VERIFY(applied.count() >= 1);
        QTRY_COMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, 0).data(PathRole).toString(), QStringLiteral("/b.txt"));
    }

    void filterKeepsAncestors()
    {
        LayerBuilder low, up;
        low.file(QStringLiteral("etc/nginx/nginx.conf"));
        low.file(QStringLiteral("etc/hosts"));
        up.file(QStringLiteral("etc/nginx/nginx.conf"), "changed");
        auto stack = OverlayStack::open(stackSource({low.root(), up.root()}), QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        UnionTreeModel model;
        model.setStack(std::make_shared<const OverlayStack>(std::move(stack).value()));
        ChangeFilterProxy proxy;
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&model);
        proxy.setLayerFilter(1);
        QCOMPARE(proxy.rowCount(), 1); // etc (ancestor of the change)
        const QModelIndex etc = proxy.index(0, 0);
        QCOMPARE(proxy.rowCount(etc), 1); // nginx, not hosts
    }

    void windowOnDemo()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::loaded);
        QSignalSpy complete(&window, &MainWindow::statisticsLoaded);
        std::optional<OverlayStack::LoadDepth> depthWhenShown;
        connect(&window, &MainWindow::loaded, this, [&] { depthWhenShown = window.stack()->depth; });
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1); // the merged tree first
        QCOMPARE(depthWhenShown, OverlayStack::LoadDepth::MergedView);
        QTRY_COMPARE(complete.count(), 1); // then every layer's statistics
        QCOMPARE(window.stack()->depth, OverlayStack::LoadDepth::Full);
        QVERIFY(!window.progressBar()->isVisible());
        window.show();
        QVERIFY(window.selectPath(QStringLiteral("/b.txt")));
        // One selection spans every layer column: the columns stay in step by construction.
        const QModelIndexList selected = window.treeView()->selectionModel()->selectedIndexes();
        QCOMPARE(selected.size(), window.unionModel()->columnCount());
        QVERIFY(window.detailsPane()->toPlainText().contains(QStringLiteral("provided by upper")));
        // Header names the layer directory and its size.
        QVERIFY(window.treeView()->model()->headerData(1, Qt::Horizontal).toString().contains(QStringLiteral("image2")));
        // Only changes + search.
        window.filterProxy()->setNamePattern(QStringLiteral("b.txt"));
        QCOMPARE(window.treeView()->model()->rowCount(), 1);
    }

    void openDialogBuildsSources()
    {
        QTemporaryDir srvDir;
        const QString srv = srvDir.path();
        for (const char *d : {"image1", "image2", "upper", "work"})
            QVERIFY(QDir(srv).mkdir(QString::fromLatin1(d)));
        OpenDialog dialog;
        QVERIFY(dialog.source().isEmpty()); // no lower layer yet
        dialog.setLowerDirs({srv + QStringLiteral("/image2"), srv + QStringLiteral("/image1")});
        dialog.upperEdit()->setText(srv + QStringLiteral("/upper"));
        QCOMPARE(dialog.source(), QStringLiteral("overlay:lowerdir=%1/image2:%1/image1,upperdir=%1/upper,workdir=%1/work").arg(srv));
        // Reordering: the bottom layer moves to the top.
        dialog.lowerList()->setCurrentRow(1);
        QListWidgetItem *item = dialog.lowerList()->takeItem(1);
        dialog.lowerList()->insertItem(0, item);
        dialog.upperEdit()->setText(QString());
        dialog.upperEdit()->setText(srv + QStringLiteral("/upper"));
        QVERIFY(dialog.source().startsWith(QStringLiteral("overlay:lowerdir=%1/image1:%1/image2,").arg(srv)));
        dialog.tabs()->setCurrentIndex(1);
        for (const char *d : {"l1/diff", "l2/diff", "u/diff"})
            QVERIFY(QDir(srv).mkpath(QString::fromLatin1(d)));
        dialog.pasteEdit()->setPlainText(
            QStringLiteral(R"("Data": {"LowerDir": "%1/l1/diff:%1/l2/diff", "UpperDir": "%1/u/diff", "WorkDir": "%1/u/work"})").arg(srv));
        QCOMPARE(dialog.source(), QStringLiteral("overlay:lowerdir=%1/l1/diff:%1/l2/diff,upperdir=%1/u/diff,workdir=%1/u/work").arg(srv));
        // Pasted directories are checked as well: a stack that is not there cannot be opened.
        dialog.pasteEdit()->setPlainText(QStringLiteral(R"("Data": {"LowerDir": "/nonexistent/l1/diff", "UpperDir": "/d/u/diff", "WorkDir": "/d/u/work"})"));
        QVERIFY(dialog.source().isEmpty());
        QVERIFY2(dialog.error().contains(QStringLiteral("/nonexistent/l1/diff")), qPrintable(dialog.error()));
        dialog.pasteEdit()->setPlainText(QStringLiteral("nothing useful"));
        QVERIFY(dialog.source().isEmpty());
        QVERIFY(dialog.error().contains(QStringLiteral("lowerdir")));
    }

    void openDialogWorkDirAndOrder()
    {
        QTemporaryDir srvDir;
        const QString srv = srvDir.path();
        for (const char *d : {"image1", "image2", "upper", "work", "mywork"})
            QVERIFY(QDir(srv).mkdir(QString::fromLatin1(d)));
        OpenDialog dialog;
        dialog.setLowerDirs({srv + QStringLiteral("/image1")});
        dialog.upperEdit()->setText(srv + QStringLiteral("/upper"));
        QVERIFY(dialog.source().contains(QStringLiteral("workdir=%1/work").arg(srv)));
        // The user types another work dir, then clears it: the old one must not be used.
        dialog.workEdit()->setText(srv + QStringLiteral("/mywork"));
        QVERIFY2(dialog.source().contains(QStringLiteral("workdir=%1/mywork").arg(srv)), qPrintable(dialog.source()));
        QVERIFY(dialog.statusLabel()->text().contains(QStringLiteral("mywork")));
        dialog.workEdit()->clear();
        QVERIFY2(!dialog.source().contains(QStringLiteral("mywork")), qPrintable(dialog.source()));
        QVERIFY(!dialog.statusLabel()->text().contains(QStringLiteral("mywork")));
        // Added directories go on top (right below the upper dir), and the dialog says the order.
        dialog.workEdit()->setText(srv + QStringLiteral("/work"));
        dialog.addLowerDir(srv + QStringLiteral("/image2"));
        QCOMPARE(dialog.lowerList()->item(0)->text(), srv + QStringLiteral("/image2"));
        QVERIFY(dialog.source().startsWith(QStringLiteral("overlay:lowerdir=%1/image2:%1/image1,").arg(srv)));
        bool orderSaid = false;
        for (QLabel *label : dialog.findChildren<QLabel *>())
            orderSaid |= label->isVisibleTo(&dialog) && label->text().contains(QStringLiteral("Topmost first"));
        QVERIFY(orderSaid);
    }

    void openDialogChecksDirectories_data()
    {
        QTest::addColumn<QString>("lower"); // relative to a temporary dir holding image1/ and file
        QTest::addColumn<QString>("upper");
        QTest::addColumn<QString>("problem"); // empty: fine
        QTest::newRow("fine") << QStringLiteral("image1") << QString() << QString();
        QTest::newRow("missing lower") << QStringLiteral("nope") << QString() << QStringLiteral("nope does not exist");
        QTest::newRow("lower is a file") << QStringLiteral("file") << QString() << QStringLiteral("file is not a directory");
        QTest::newRow("missing upper") << QStringLiteral("image1") << QStringLiteral("gone") << QStringLiteral("gone does not exist");
        QTest::newRow("upper is a file") << QStringLiteral("image1") << QStringLiteral("file") << QStringLiteral("file is not a directory");
    }

    void openDialogChecksDirectories()
    {
        QFETCH(QString, lower);
        QFETCH(QString, upper);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("image1")));
        QFile file(dir.filePath(QStringLiteral("file")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        applyLanguage(QStringLiteral("en"));
        OpenDialog dialog;
        dialog.setLowerDirs({dir.filePath(lower)});
        if (!upper.isEmpty())
            dialog.upperEdit()->setText(dir.filePath(upper));
        QCOMPARE(dialog.canOpen(), problem.isEmpty());
        QCOMPARE(dialog.source().isEmpty(), !problem.isEmpty());
        if (!problem.isEmpty()) {
            QVERIFY2(dialog.error().contains(problem), qPrintable(dialog.error()));
            QCOMPARE(dialog.statusLabel()->text(), dialog.error());
        }
    }

    void openDialogFindsImageSources()
    {
        // An overlay mounted now (the test runs as root in its own mount namespace), a Docker root
        // whose image list is damaged, and no containers-storage.
        LayerBuilder low, up, mountPoint, docker;
        low.file(QStringLiteral("a"), "a");
        QVERIFY(QDir(up.root()).mkpath(QStringLiteral("u")));
        QVERIFY(QDir(up.root()).mkpath(QStringLiteral("w")));
        const QString options = QStringLiteral("lowerdir=%1,upperdir=%2/u,workdir=%2/w").arg(low.root(), up.root());
        QVERIFY2(::mount("overlay", QFile::encodeName(mountPoint.root()).constData(), "overlay", 0, QFile::encodeName(options).constData()) == 0, std::strerror(errno));
        const auto unmount = qScopeGuard([&] { ::umount2(QFile::encodeName(mountPoint.root()).constData(), MNT_DETACH); });
        docker.file(QStringLiteral("image/overlay2/repositories.json"), "{\"Repositories\": [");
        applyLanguage(QStringLiteral("en"));
        OpenDialog dialog;
        dialog.setMachineSourceRoots({docker.root(), QStringLiteral("/nonexistent-containers-storage"), QStringLiteral("/proc/self/mountinfo")});
        QSignalSpy found(&dialog, &OpenDialog::machineSourcesFound);
        dialog.tabs()->setCurrentIndex(OpenDialog::imagesTab); // looking starts when the tab shows
        QTRY_COMPARE(found.count(), 1);
        // The damaged storage is named, the mount is offered with its SOURCE.
        QVERIFY2(dialog.foundStatus()->text().contains(QStringLiteral("repositories.json")), qPrintable(dialog.foundStatus()->text()));
        QTreeWidgetItem *mounts = dialog.foundList()->topLevelItem(2);
        QTreeWidgetItem *ours = nullptr;
        for (int i = 0; i < mounts->childCount(); ++i)
            ours = mounts->child(i)->text(0) == mountPoint.root() ? mounts->child(i) : ours;
        QVERIFY(ours);
        QCOMPARE(ours->text(1), QStringLiteral("overlay · 1 layer(s) + upper"));
        dialog.foundList()->setCurrentItem(ours);
        QCOMPARE(dialog.source(), QStringLiteral("mount:") + mountPoint.root());
        QVERIFY(dialog.canOpen());
        // The SOURCE field takes any source; a missing file is caught here.
        dialog.sourceEdit()->setText(QStringLiteral("oci:/nonexistent/layout:v1"));
        QVERIFY(!dialog.canOpen());
        QVERIFY2(dialog.error().contains(QStringLiteral("/nonexistent/layout")), qPrintable(dialog.error()));
        dialog.sourceEdit()->setText(QStringLiteral("oci:") + low.root() + QStringLiteral(":v1"));
        QVERIFY(dialog.canOpen());
        QCOMPARE(dialog.source(), QStringLiteral("oci:") + low.root() + QStringLiteral(":v1"));
        dialog.sourceEdit()->setText(QStringLiteral("nonsense:x"));
        QVERIFY(!dialog.canOpen());
    }

    void unreadableStorageSaysHowToGetAccess()
    {
        // Docker's storage is root's: an ordinary user gets a permission error and is told what to do.
        applyLanguage(QStringLiteral("en"));
        ErrorPage page;
        page.setError(makeError(ErrorCode::Permission, QString(), QStringLiteral("/var/lib/docker/image/overlay2/repositories.json")),
                      QStringLiteral("docker-storage:nginx:latest"));
        QVERIFY2(page.hint().contains(QStringLiteral("readable by root only")), qPrintable(page.hint()));
        page.setError(makeError(ErrorCode::Permission, QString(), QStringLiteral("/srv/layers/a")), QStringLiteral("overlay:lowerdir=/srv/layers/a"));
        QVERIFY(!page.hint().contains(QStringLiteral("root only")));
    }

    void welcomePageWithoutSource()
    {
        QSettings().setValue(QStringLiteral("recentSources"), QStringList{m_source});
        MainWindow window;
        window.show();
        QCOMPARE(window.currentPage(), window.welcomePage());
        // The recent stack is listed under a short label, the full SOURCE in its tooltip.
        QCOMPARE(window.welcomePage()->recentList()->count(), 1);
        QListWidgetItem *recent = window.welcomePage()->recentList()->item(0);
        QCOMPARE(recent->toolTip(), m_source);
        QVERIFY2(recent->text().size() < 60 && recent->text().contains(QStringLiteral("3")), qPrintable(recent->text()));
        window.resize(900, 600);
        saveShot(window, QStringLiteral("welcome-en"));
        applyLanguage(QStringLiteral("ko"));
        QTRY_VERIFY(window.welcomePage()->demoButton()->text() != QStringLiteral("Open the Demo Stack"));
        saveShot(window, QStringLiteral("welcome-ko"));
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.welcomePage()->demoButton()->text(), QStringLiteral("Open the Demo Stack"));
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.welcomePage()->demoButton()->click();
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(window.currentPage() != window.welcomePage());
        QVERIFY(window.treeView()->isVisible());
        QCOMPARE(window.unionModel()->rowCount(), 3);
        QSettings().remove(QStringLiteral("recentSources"));
    }

    void loadErrorIsAPage()
    {
        MainWindow window;
        window.show();
        QSignalSpy failed(&window, &MainWindow::loadFailed);
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("later"));
        window.openSource(QStringLiteral("overlay:lowerdir=") + missing);
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(window.currentPage(), window.errorPage());
        QVERIFY(!window.treeView()->isVisible());
        QVERIFY2(window.errorPage()->message().contains(missing), qPrintable(window.errorPage()->message()));
        QVERIFY(window.errorPage()->openButton()->isVisible());
        window.resize(900, 600);
        saveShot(window, QStringLiteral("error-en"));
        // In the user's language, and following a switch.
        applyLanguage(QStringLiteral("ko"));
        QTRY_VERIFY(window.errorPage()->retryButton()->text() != QStringLiteral("Retry"));
        QVERIFY2(!window.errorPage()->message().contains(QStringLiteral("does not exist")), qPrintable(window.errorPage()->message()));
        saveShot(window, QStringLiteral("error-ko"));
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.errorPage()->retryButton()->text(), QStringLiteral("Retry"));
        // Retry once the directory exists: the tree comes back.
        QVERIFY(QDir().mkpath(missing));
        QSignalSpy loaded(&window, &MainWindow::loaded);
        window.errorPage()->retryButton()->click();
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(window.currentPage() != window.errorPage());
        QVERIFY(window.treeView()->isVisible());
    }

    void layerTableAndFiltersAgree()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        window.show();
        FilterBar *bar = window.filterBar();
        bar->setOnlyChanges(false);
        // Picking the upper layer in the table: its changes, and "Only changes" says so.
        window.layerTable()->selectRow(0);
        QCOMPARE(bar->layerChoice()->currentData().toInt(), 2);
        QVERIFY(bar->onlyChanges());
        QCOMPARE(window.treeView()->model()->rowCount(), 2);
        // Unticking "Only changes" resets the layer too, and the table's highlight goes.
        bar->setOnlyChanges(false);
        QCOMPARE(bar->layerChoice()->currentIndex(), 0);
        QVERIFY(!window.layerTable()->selectionModel()->hasSelection());
        QCOMPARE(window.treeView()->model()->rowCount(), 3);
        // Choosing a layer in the filter bar highlights its row in the table.
        bar->layerChoice()->setCurrentIndex(bar->layerChoice()->findData(1));
        QVERIFY(bar->onlyChanges());
        QVERIFY(window.layerTable()->selectionModel()->isRowSelected(1));
        bar->layerChoice()->setCurrentIndex(0);
        QVERIFY(!window.layerTable()->selectionModel()->hasSelection());
        bar->setOnlyChanges(false);
    }

    void treeCopiesPathsAndHasAContextMenu()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        window.show();
        QVERIFY(window.selectPath(QStringLiteral("/b.txt")));
        window.treeView()->setFocus();
        QGuiApplication::clipboard()->clear();
        QTest::keySequence(window.treeView(), QKeySequence::Copy);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("/b.txt")); // the full path, not the name
        const QModelIndex row = window.treeView()->currentIndex();
        const int merged = window.unionModel()->mergedColumn();
        std::unique_ptr<QMenu> menu(window.pathActions()->menuFor(row.siblingAtColumn(merged), window.treeView()));
        QStringList texts;
        for (QAction *a : menu->actions()) {
            if (!a->isSeparator())
                texts << a->text();
        }
        QCOMPARE(texts, (QStringList{QStringLiteral("Copy Path"), QStringLiteral("Copy SOURCE"), QStringLiteral("Open Containing Folder"), QStringLiteral("Show in Layer")}));
        menu->actions().at(1)->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), m_source);
        // b.txt comes from the upper dir: its folder there, and "show in layer" goes to that column.
        QCOMPARE(window.pathActions()->containingDirectory(row.siblingAtColumn(merged)), window.stack()->config.layers[2].path);
        QCOMPARE(window.pathActions()->containingDirectory(row.siblingAtColumn(1)), window.stack()->config.layers[1].path);
        menu->actions().last()->trigger();
        QCOMPARE(window.treeView()->currentIndex().column(), 2);
        QCOMPARE(window.treeView()->currentIndex().data(PathRole).toString(), QStringLiteral("/b.txt"));
    }

    // As an unprivileged user scanning a mode-000 directory sees it (the tests run as root, who
    // reads everything): the entry carries FlagError and its message, the layer lists the problem.
    std::shared_ptr<const OverlayStack> demoWithUnreadable(const char *path, size_t layer)
    {
        OverlayStack copy = *m_demo;
        LayerIndex &index = copy.layers[layer];
        const EntryId id = index.find(path);
        if (id == noEntry)
            return nullptr;
        index.extras.push_back(EntryExtra{});
        index.extras.back().error = "cannot open directory: Permission denied";
        index.entries[id].extra = uint32_t(index.extras.size() - 1);
        index.entries[id].flags |= FlagError;
        index.problems.push_back(makeError(ErrorCode::Permission, QStringLiteral("cannot open directory"), QString::fromLatin1(path)));
        return std::make_shared<const OverlayStack>(std::move(copy));
    }

    void unreadableEntriesAreMarked_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("marked");
        QTest::newRow("upper, the unreadable entry") << 2 << true;
        QTest::newRow("merged, provided by it") << 3 << true;
        QTest::newRow("lower 1, readable") << 1 << false;
    }

    void unreadableEntriesAreMarked()
    {
        QFETCH(int, column);
        QFETCH(bool, marked);
        auto stack = demoWithUnreadable("/b.txt", 2);
        QVERIFY(stack);
        UnionTreeModel model;
        model.setStack(stack);
        const QModelIndex cell = model.indexOfPath(QStringLiteral("/b.txt"), column);
        QCOMPARE(!cell.data(ProblemRole).toString().isEmpty(), marked);
        const QString tip = ProblemCellDelegate::tooltipFor(cell);
        QCOMPARE(tip.contains(QStringLiteral("Permission denied")), marked);
        QCOMPARE(tip.startsWith(ProblemCellDelegate::glyph()), marked);
        QVERIFY(!model.indexOfPath(QStringLiteral("/c.txt"), column).data(ProblemRole).isValid());
    }

    void problemsAreCountedAndListed()
    {
        applyLanguage(QStringLiteral("en"));
        MainWindow window;
        window.show();
        window.setStack(m_demo, m_source);
        QVERIFY(!window.problemsButton()->isVisible());
        window.setStack(demoWithUnreadable("/b.txt", 2), m_source);
        QVERIFY(window.problemsButton()->isVisible());
        QVERIFY2(window.problemsButton()->text().contains(QStringLiteral("1 problem")), qPrintable(window.problemsButton()->text()));
        window.problemsButton()->click();
        auto *dialog = window.findChild<ProblemsDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->list()->count(), 1);
        QVERIFY2(dialog->list()->item(0)->text().contains(QStringLiteral("/b.txt")), qPrintable(dialog->list()->item(0)->text()));
        QVERIFY(dialog->list()->item(0)->text().startsWith(QStringLiteral("upper")));
        dialog->close();
    }

    void exportsAndSorting()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        QTemporaryDir out;
        QVERIFY(window.exportListing(out.filePath(QStringLiteral("merged.jsonl"))));
        QFile json(out.filePath(QStringLiteral("merged.jsonl")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        std::string expected;
        ListingOptions options;
        options.json = true;
        writeListing(*window.stack(), options, [&](const std::string &l) { expected += l + '\n'; }, [](const std::string &) {});
        QCOMPARE(json.readAll(), QByteArray::fromStdString(expected));
        QVERIFY(window.exportListing(out.filePath(QStringLiteral("merged.csv"))));
        QFile csv(out.filePath(QStringLiteral("merged.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), 4); // header, /, /b.txt, /c.txt
        QCOMPARE(rows[0], QByteArray("path,type,mode,uid,gid,size,target,layer,change"));
        QCOMPARE(rows[2], QByteArray("/b.txt,file,0644,0,0,39,,2,modified"));
        QVERIFY(!window.exportListing(QStringLiteral("/nonexistent-dir/x.csv")));

        window.setSortBySize(true); // b.txt (39 bytes) before c.txt (14) before a.txt (no merged size)
        QCOMPARE(window.treeView()->model()->index(0, 0).data(PathRole).toString(), QStringLiteral("/b.txt"));
        window.setSortBySize(false);
        QCOMPARE(window.treeView()->model()->index(0, 0).data(PathRole).toString(), QStringLiteral("/a.txt"));
        window.filterProxy()->setMinimumSize(20);
        QCOMPARE(window.treeView()->model()->rowCount(), 1);
        window.filterProxy()->setMinimumSize(0);
        window.filterProxy()->setTypeFilter(int(EntryType::Char)); // the whiteout of a.txt
        QCOMPARE(window.treeView()->model()->rowCount(), 1);
        QCOMPARE(window.treeView()->model()->index(0, 0).data(PathRole).toString(), QStringLiteral("/a.txt"));
    }

    void fileDiffShowsVersions()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(window.selectPath(QStringLiteral("/b.txt")));
        FilePane *pane = window.filePane();
        QCOMPARE(pane->leftVersion()->currentText(), QStringLiteral("lower 1"));
        QCOMPARE(pane->rightVersion()->currentText(), QStringLiteral("merged"));
        QTRY_VERIFY(!pane->isLoading()); // read and diffed off the GUI thread
        QCOMPARE(pane->diffView()->changedRows(), 1); // one added line
        QVERIFY(pane->diffView()->rightView()->toPlainText().contains(QStringLiteral("changed in the container")));
        QVERIFY(pane->contentView()->toPlainText().startsWith(QStringLiteral("b from image2")));
        // A deleted path still shows the content it had below the whiteout.
        QVERIFY(window.selectPath(QStringLiteral("/a.txt")));
        QTRY_VERIFY(!pane->isLoading());
        QCOMPARE(pane->contentView()->toPlainText(), QStringLiteral("a from image1\n"));
    }

    void languageSwitchesLive()
    {
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        applyLanguage(QStringLiteral("ko"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("파일(&F)"));
        QCOMPARE(window.treeView()->model()->headerData(window.unionModel()->mergedColumn(), Qt::Horizontal).toString().section(u' ', 0, 0), QStringLiteral("병합"));
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
    }

    // Trainers project at 1024 pixels: with the playground and the lesson pane open, in Korean (the
    // longer labels), the window must still fit — rows wrap instead of widening it (it needed 1337).
    void fitsA1024PixelScreenWithEveryPaneOpen()
    {
        applyLanguage(QStringLiteral("ko"));
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        window.showPlayground(true);
        auto *lessons = window.findChild<QDockWidget *>(QStringLiteral("lessonDock"));
        QVERIFY(lessons);
        lessons->show();
        window.resize(1000, 700);
        window.show();
        QCoreApplication::processEvents();
        QVERIFY2(window.minimumSizeHint().width() <= 1024, qPrintable(QString::number(window.minimumSizeHint().width())));
        QVERIFY2(window.width() <= 1024, qPrintable(QString::number(window.width())));
        // The legend wrapped rather than losing entries: every change kind is still shown.
        const auto *legend = window.findChild<LegendWidget *>();
        QVERIFY(legend);
        QCOMPARE(legend->findChildren<QLabel *>().size(), 12); // "Legend:" and 11 kinds
        for (const QLabel *label : legend->findChildren<QLabel *>())
            QVERIFY2(label->isVisible() && label->geometry().right() <= legend->width(), qPrintable(label->text()));
        applyLanguage(QStringLiteral("en"));
    }

    void languageSwitchKeepsStateAndTexts_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("englishNote"); // the Diff tab's note, empty: none shown
        QTest::newRow("one version") << QStringLiteral("/c.txt") << QStringLiteral("Only one version: nothing to compare with.");
        QTest::newRow("two versions") << QStringLiteral("/b.txt") << QString();
        QTest::newRow("deleted") << QStringLiteral("/a.txt") << QStringLiteral("Only one version: nothing to compare with.");
    }

    void languageSwitchKeepsStateAndTexts()
    {
        QFETCH(QString, path);
        QFETCH(QString, englishNote);
        applyLanguage(QStringLiteral("en"));
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(m_source);
        QTRY_COMPARE(loaded.count(), 1);
        window.show();
        QVERIFY(window.selectPath(path));
        window.filePane()->setCurrentIndex(1);
        auto note = [&]() -> QString {
            for (QLabel *label : window.filePane()->findChildren<QLabel *>()) {
                if (label->isVisibleTo(window.filePane()) && label->text().contains(QStringLiteral("version")))
                    return label->text();
            }
            return {};
        };
        QTRY_COMPARE(note(), englishNote);
        applyLanguage(QStringLiteral("ko"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("파일(&F)"));
        applyLanguage(QStringLiteral("en"));
        QTRY_COMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QTRY_COMPARE(note(), englishNote);
        // The note holds no Korean either (it may be hidden, but not stale).
        for (QLabel *label : window.filePane()->findChildren<QLabel *>())
            QVERIFY2(!label->text().contains(QRegularExpression(QStringLiteral("[\\x{AC00}-\\x{D7A3}]"))), qPrintable(label->text()));
        // The selection survives both switches.
        QCOMPARE(window.treeView()->currentIndex().data(PathRole).toString(), path);
    }

    void languageMenuTicksTheLanguageInUse_data()
    {
        QTest::addColumn<QString>("asked");
        QTest::addColumn<QString>("ticked");
        QTest::newRow("en") << QStringLiteral("en") << QStringLiteral("en");
        QTest::newRow("ko") << QStringLiteral("ko") << QStringLiteral("ko");
        QTest::newRow("no catalogue: English") << QStringLiteral("de") << QStringLiteral("en");
        QTest::newRow("C locale: English") << QStringLiteral("C") << QStringLiteral("en");
    }

    void languageMenuTicksTheLanguageInUse()
    {
        QFETCH(QString, asked);
        QFETCH(QString, ticked);
        applyLanguage(asked); // as main() does on first start
        MainWindow window;
        QMenu *languages = window.menuBar()->actions().at(2)->menu();
        QStringList checked;
        for (QAction *a : languages->actions()) {
            if (a->isChecked())
                checked << a->data().toString();
        }
        QCOMPARE(checked, QStringList{ticked});
        applyLanguage(QStringLiteral("en"));
    }

    void detailsKeepWordsWhole_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("width");
        for (const char *path : {"/a.txt", "/b.txt", "/"}) {
            for (int width : {260, 380, 600})
                QTest::addRow("%s at %d px", path, width) << QString::fromLatin1(path) << width;
        }
    }

    void detailsKeepWordsWhole()
    {
        QFETCH(QString, path);
        QFETCH(int, width);
        applyLanguage(QStringLiteral("en"));
        UnionTreeModel model;
        model.setStack(m_demo);
        DetailsPane pane;
        pane.resize(width, 400);
        pane.show();
        pane.showPath(m_demo.get(), model.nodeOf(model.indexOfPath(path)));
        QTextDocument *doc = pane.document();
        doc->documentLayout()->documentSize(); // lays it out
        // No line of any block (table cells included) ends between two letters of one word.
        for (QTextBlock block = doc->begin(); block.isValid(); block = block.next()) {
            const QString text = block.text();
            QTextLayout *layout = block.layout();
            for (int i = 1; layout && i < layout->lineCount(); ++i) {
                const int at = layout->lineAt(i).textStart();
                if (at > 0 && at < text.size())
                    QVERIFY2(!(text.at(at - 1).isLetter() && text.at(at).isLetter()), qPrintable(QStringLiteral("broken word in \"%1\" at %2").arg(text).arg(at)));
            }
        }
    }

    void sizesAreRecursiveAndSortLargestFirst()
    {
        SizedStack s;
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(s.source());
        QTRY_COMPARE(loaded.count(), 1);
        const UnionTreeModel *model = window.unionModel();
        const int merged = model->mergedColumn();
        // Per layer: what the layer directory holds below each path, as a walk of it adds up.
        const LayerBuilder *layers[] = {&s.low, &s.mid, &s.up};
        for (const QString &path : {QStringLiteral("/big"), QStringLiteral("/big/deep"), QStringLiteral("/small"), QStringLiteral("/late")}) {
            for (int l = 0; l < 3; ++l) {
                const QModelIndex cell = model->indexOfPath(path, l);
                const QString onDisk = layers[l]->root() + path;
                if (!QFileInfo(onDisk).isDir()) {
                    QVERIFY(!cell.data(TotalSizeRole).isValid());
                    continue;
                }
                QCOMPARE(cell.data(TotalSizeRole).toULongLong(), bytesBelow(onDisk));
            }
        }
        // Merged: what the merged view shows (upper's a, lower's b and deep/d, mid's c).
        QCOMPARE(model->indexOfPath(QStringLiteral("/big"), merged).data(TotalSizeRole).toULongLong(), 2000u + 3000u + 40u + 500u);
        QCOMPARE(model->indexOfPath(QStringLiteral("/big/a"), merged).data(TotalSizeRole).toULongLong(), 2000u);
        QVERIFY(!model->indexOfPath(QStringLiteral("/gone"), merged).data(TotalSizeRole).isValid());
        QCOMPARE(model->headerData(merged, Qt::Horizontal).toString(), QStringLiteral("merged (%1)").arg(QLocale().formattedDataSize(2000 + 3000 + 40 + 500 + 10 + 7 + 9)));
        // Tooltips give the exact bytes.
        window.show();
        const QModelIndex bigMerged = window.filterProxy()->mapFromSource(model->indexOfPath(QStringLiteral("/big"), merged));
        QVERIFY2(LayerCellDelegate::tooltipFor(bigMerged).contains(QStringLiteral("5,540")), qPrintable(LayerCellDelegate::tooltipFor(bigMerged)));
        // Sort by Size: directories by their totals, largest first (the big directory, then the
        // 10-byte one, ... , whatever a directory entry's own size is).
        window.setSortBySize(true);
        QAbstractItemModel *shown = window.treeView()->model();
        QCOMPARE(shown->index(0, 0).data(PathRole).toString(), QStringLiteral("/big"));
        QCOMPARE(shown->index(1, 0).data(PathRole).toString(), QStringLiteral("/small"));
        const QModelIndex big = shown->index(0, 0);
        QCOMPARE(shown->index(0, 0, big).data(PathRole).toString(), QStringLiteral("/big/b")); // 3000 before a's 2000
        QCOMPARE(shown->index(1, 0, big).data(PathRole).toString(), QStringLiteral("/big/a"));
        // The size is drawn in the cell: a narrow rendering has it, and Show Sizes turns it off.
        window.resize(1200, 700);
        window.treeView()->expandAll();
        QApplication::processEvents();
        const QImage with = window.treeView()->viewport()->grab().toImage();
        window.showSizesAction()->setChecked(false);
        QApplication::processEvents();
        const QImage without = window.treeView()->viewport()->grab().toImage();
        QVERIFY(with != without);
        window.showSizesAction()->setChecked(true);
    }

    void oneClickShowsTheTreeAsOfALayer()
    {
        SizedStack s;
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(s.source());
        QTRY_COMPARE(loaded.count(), 1);
        window.resize(1200, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        UnionTreeModel *model = window.unionModel();
        const int merged = model->mergedColumn();
        QVERIFY(window.treeView()->model()->match(window.treeView()->model()->index(0, 0), PathRole, QStringLiteral("/late")).size() == 1);
        // One click on "lower 1" in the layer table (rows are top-down: upper, lower 1, lower 0).
        QTableView *table = window.layerTable();
        int row = -1;
        for (int r = 0; r < table->model()->rowCount(); ++r)
            row = table->model()->index(r, 0).data().toString() == u"lower 1" ? r : row;
        QVERIFY(row >= 0);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(row, 1)).center());
        QTRY_COMPARE(model->asOfLayer(), 1);
        QVERIFY(model->asOfView());
        QVERIFY(window.asOfBar()->isVisible());
        QVERIFY(window.asOfBar()->text().contains(QStringLiteral("lower 1")));
        QVERIFY(model->headerData(merged, Qt::Horizontal).toString().contains(QStringLiteral("lower 1")));
        QVERIFY(table->selectionModel()->isRowSelected(row));
        // The merged column is the tree after lower 1: the lower's a, no upper-only path, the
        // deleted directory gone; the upper's column is outside the view.
        const QModelIndex a = model->indexOfPath(QStringLiteral("/big/a"), merged);
        QCOMPARE(a.data(TotalSizeRole).toULongLong(), 1000u);
        QCOMPARE(ChangeKind(a.data(ChangeKindRole).toInt()), ChangeKind::Added);
        QCOMPARE(model->indexOfPath(QStringLiteral("/big"), merged).data(TotalSizeRole).toULongLong(), 1000u + 3000u + 40u + 500u);
        QVERIFY(!model->indexOfPath(QStringLiteral("/gone"), merged).data(PresentRole).toBool());
        QVERIFY(model->indexOfPath(QStringLiteral("/big/a"), 2).data(OutsideViewRole).toBool());
        QVERIFY(!model->indexOfPath(QStringLiteral("/big/a"), 1).data(OutsideViewRole).toBool());
        // Rows only the layer above holds are not part of it; lower 1's changes are shown first.
        window.filterBar()->setOnlyChanges(false);
        QTRY_VERIFY(window.treeView()->model()->match(window.treeView()->model()->index(0, 0), PathRole, QStringLiteral("/late")).isEmpty());
        QCOMPARE(model->asOfLayer(), 1); // unticking "Only changes" keeps the as-of view
        QVERIFY(!window.treeView()->model()->match(window.treeView()->model()->index(0, 0), PathRole, QStringLiteral("/newdir")).isEmpty());
        saveShot(window, QStringLiteral("as-of-layer"));

        // Export what is shown: the as-of merged view's rows the tree shows, nothing else.
        QTemporaryDir out;
        QSignalSpy exported(window.findChild<ListingExporter *>(), &ListingExporter::finished);
        window.exportShownInBackground(out.filePath(QStringLiteral("shown.csv")));
        QTRY_COMPARE(exported.count(), 1);
        QFile csv(out.filePath(QStringLiteral("shown.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QStringList paths;
        for (const QByteArray &line : csv.readAll().trimmed().split('\n').mid(2)) // header, "/"
            paths << QString::fromUtf8(line.split(',').first());
        QCOMPARE(paths, (QStringList{QStringLiteral("/big"), QStringLiteral("/big/a"), QStringLiteral("/big/b"), QStringLiteral("/big/c"), QStringLiteral("/big/deep"),
                                     QStringLiteral("/big/deep/d"), QStringLiteral("/newdir"), QStringLiteral("/newdir/z"), QStringLiteral("/small"), QStringLiteral("/small/x")}));
        QVERIFY(csv.seek(0));
        QVERIFY(csv.readAll().contains("/big/a,file,0644,0,0,1000,,0,added"));

        // The way back: the whole stack, the upper-only path again.
        QTest::mouseClick(window.asOfBar()->findChild<QPushButton *>(), Qt::LeftButton);
        QTRY_COMPARE(model->asOfLayer(), -1);
        QVERIFY(!window.asOfBar()->isVisible());
        QCOMPARE(model->indexOfPath(QStringLiteral("/big/a"), merged).data(TotalSizeRole).toULongLong(), 2000u);
        QTRY_VERIFY(!window.treeView()->model()->match(window.treeView()->model()->index(0, 0), PathRole, QStringLiteral("/late")).isEmpty());
        // Clicking the topmost layer is the whole stack too.
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->model()->index(0, 1)).center());
        QCOMPARE(model->asOfLayer(), -1);
    }

    void windowShowsAnOciImage()
    {
        // An image source in the window: layers from gzip blobs, the whiteout as a deletion, what
        // made each layer in the table, content read from the compressed blob.
        QTemporaryDir dir;
        const QString layout = writeOciLayout(dir.path());
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        QSignalSpy failed(&window, &MainWindow::loadFailed);
        window.openSource(QStringLiteral("oci:") + layout + QStringLiteral(":v1"));
        QTRY_VERIFY_WITH_TIMEOUT(loaded.count() == 1 || failed.count() == 1, 20000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().first().toString()));
        window.resize(1200, 800);
        window.show();
        const UnionTreeModel *model = window.unionModel();
        QCOMPARE(model->columnCount(), 3);
        QCOMPARE(ChangeKind(model->indexOfPath(QStringLiteral("/etc/old"), 1).data(ChangeKindRole).toInt()), ChangeKind::Deleted);
        QVERIFY(!model->indexOfPath(QStringLiteral("/etc/old"), 2).data(PresentRole).toBool());
        QCOMPARE(ChangeKind(model->indexOfPath(QStringLiteral("/etc/motd"), 1).data(ChangeKindRole).toInt()), ChangeKind::Modified);
        QCOMPARE(ChangeKind(model->indexOfPath(QStringLiteral("/etc/motd"), 2).data(ChangeKindRole).toInt()), ChangeKind::Modified);
        QCOMPARE(model->indexOfPath(QStringLiteral("/usr"), 2).data(TotalSizeRole).toULongLong(), 50000u);
        // The layer table says what made each layer.
        QAbstractItemModel *layers = window.layerTable()->model();
        QStringList made;
        for (int r = 0; r < layers->rowCount(); ++r)
            made << layers->index(r, LayerListModel::PathColumn).data().toString();
        QVERIFY2(made.contains(QStringLiteral("RUN rm /etc/old && echo motd")), qPrintable(made.join(u'|')));
        // Each blob: its digest, stored (gzip) size and the tar's size, from the stack's own reading.
        QVERIFY(!window.layerTable()->isColumnHidden(LayerListModel::BlobColumn));
        for (int r = 0; r < layers->rowCount(); ++r) {
            const size_t layer = window.unionModel()->stack()->layers.size() - 1 - size_t(r); // rows top-down
            const LayerIndex &index = window.unionModel()->stack()->layers[layer];
            QVERIFY(index.handle.tar());
            QCOMPARE(layers->index(r, LayerListModel::BlobColumn).data().toString(),
                     QStringLiteral("%1 · %2 gzip → %3 tar").arg(QString::fromStdString(index.handle.tar()->digest.substr(0, 19)),
                                                                    QLocale().formattedDataSize(qint64(index.handle.tar()->length)), QLocale().formattedDataSize(qint64(index.tarBytes))));
        }
        QCOMPARE(window.unionModel()->stack()->layers[0].tarBytes, quint64(ociTarSizes().first));
        // Content from the top gzip layer, off the GUI thread.
        window.selectPath(QStringLiteral("/etc/motd"));
        QTRY_COMPARE(window.filePane()->contentView()->toPlainText(), QStringLiteral("hello from layer 2\n"));
        saveShot(window, QStringLiteral("oci-image"));
    }

    void manyColumnsStayReadable()
    {
        // Twelve layers in a narrow window: no column below the minimum, the tree scrolls sideways,
        // the first column has room for indentation, and columns can be hidden.
        std::vector<std::unique_ptr<LayerBuilder>> layers;
        QStringList roots;
        for (int l = 0; l < 12; ++l) {
            layers.push_back(std::make_unique<LayerBuilder>());
            layers.back()->file(QStringLiteral("etc/deep/er/file%1").arg(l), "x");
            roots << layers.back()->root();
        }
        MainWindow window;
        QSignalSpy loaded(&window, &MainWindow::statisticsLoaded);
        window.openSource(stackSource(roots));
        QTRY_COMPARE(loaded.count(), 1);
        window.resize(900, 600);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTreeView *tree = window.treeView();
        QHeaderView *header = tree->header();
        QCOMPARE(header->count(), 13);
        for (int c = 0; c < header->count(); ++c)
            QVERIFY2(header->sectionSize(c) >= TreeColumns::minimumColumnWidth(), qPrintable(QString::number(header->sectionSize(c))));
        QVERIFY(header->sectionSize(0) >= header->sectionSize(1) + tree->indentation() * 4);
        QVERIFY(tree->horizontalScrollBar()->maximum() > 0);
        saveShot(window, QStringLiteral("twelve-layers"));
        // Hiding lower 0 from the header's menu; Show All Columns brings it back.
        std::unique_ptr<QMenu> menu(window.treeColumns()->createMenu());
        QCOMPARE(menu->actions().first()->text(), header->model()->headerData(0, Qt::Horizontal).toString());
        menu->actions().first()->setChecked(false);
        QVERIFY(header->isSectionHidden(0));
        QVERIFY(!menu->actions().contains(nullptr));
        menu->actions().last()->trigger();
        QVERIFY(!header->isSectionHidden(0));
        // Collapsing a layer to a strip (a header double click does the same) and back.
        window.treeColumns()->setCollapsed(3, true);
        QCOMPARE(header->sectionSize(3), TreeColumns::collapsedWidth());
        QVERIFY(header->sectionSize(4) >= TreeColumns::minimumColumnWidth());
        std::unique_ptr<QMenu> layerMenu(window.treeColumns()->createMenu(3));
        QCOMPARE(layerMenu->actions().first()->text(), QStringLiteral("Widen lower 3"));
        layerMenu->actions().first()->trigger();
        QVERIFY(!window.treeColumns()->isCollapsed(3));
        QVERIFY(header->sectionSize(3) >= TreeColumns::minimumColumnWidth());
        // Only one layer and the merged view.
        std::unique_ptr<QMenu> onlyMenu(window.treeColumns()->createMenu(5));
        onlyMenu->actions().at(1)->trigger();
        for (int c = 0; c < 12; ++c)
            QCOMPARE(header->isSectionHidden(c), c != 5);
        QVERIFY(!header->isSectionHidden(12));
        onlyMenu->actions().last()->trigger(); // Show All Columns
        for (int c = 0; c < 13; ++c)
            QVERIFY(!header->isSectionHidden(c));
        // A wide window: the columns fill it, no sideways scrolling.
        window.resize(2600, 600);
        QTRY_COMPARE(tree->horizontalScrollBar()->maximum(), 0);
    }

    void storageLayersAreNamedByTheirId()
    {
        // Docker's overlay2 layout: <root>/<cache-id>/diff, and l/<short> links to ../<cache-id>/diff.
        QTemporaryDir root;
        const QString idA = QStringLiteral("4f2c1d9e0b7a55aa66bb77cc88dd99ee00ff11223344556677889900aabbccdd");
        const QString idB = QStringLiteral("9a8b7c6d5e4f00112233445566778899aabbccddeeff00112233445566778899-init");
        QVERIFY(QDir(root.path()).mkpath(idA + QStringLiteral("/diff/etc")));
        QVERIFY(QDir(root.path()).mkpath(idB + QStringLiteral("/diff/etc")));
        QVERIFY(QDir(root.path()).mkpath(QStringLiteral("l")));
        QVERIFY(QFile::link(QStringLiteral("../") + idB + QStringLiteral("/diff"), root.filePath(QStringLiteral("l/ABCDEFGHIJKLMNOPQRSTUVWXYZ"))));
        auto stack = OverlayStack::open(stackSource({root.filePath(idA + QStringLiteral("/diff")), root.filePath(QStringLiteral("l/ABCDEFGHIJKLMNOPQRSTUVWXYZ"))}),
                                        QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        UnionTreeModel model;
        model.setStack(std::make_shared<const OverlayStack>(std::move(stack).value()));
        QCOMPARE(model.headerData(0, Qt::Horizontal).toString().section(u' ', 0, 2), QStringLiteral("lower 0: 4f2c1d9e0b7a"));
        QCOMPARE(model.headerData(1, Qt::Horizontal).toString().section(u' ', 0, 2), QStringLiteral("lower 1: 9a8b7c6d5e4f-init"));
        QVERIFY(model.headerData(0, Qt::Horizontal, Qt::ToolTipRole).toString().contains(root.filePath(idA + QStringLiteral("/diff"))));
    }

    void bigTreeExpandsAll()
    {
        // 20 directories × 999 files: expandAll must not crawl (unique internal ids).
        LayerBuilder low;
        for (int d = 0; d < 20; ++d) {
            const QString dir = low.root() + QStringLiteral("/d%1").arg(d);
            QDir().mkpath(dir);
            for (int f = 0; f < 999; ++f)
                ::close(::open(QFile::encodeName(dir + QStringLiteral("/f%1").arg(f)).constData(), O_CREAT | O_WRONLY, 0644));
        }
        auto stack = OverlayStack::open(stackSource({low.root()}), QStringLiteral("/"));
        QVERIFY(stack.hasValue());
        UnionTreeModel model;
        model.setStack(std::make_shared<const OverlayStack>(std::move(stack).value()));
        QTreeView view;
        view.setUniformRowHeights(true);
        view.setModel(&model);
        view.expandAll();
        QCOMPARE(model.rowCount(model.index(5, 0)), 999);
    }
};

QTEST_MAIN(GuiTest)
#include "test_gui.moc"
