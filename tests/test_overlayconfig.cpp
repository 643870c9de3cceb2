// SPDX-License-Identifier: GPL-3.0-or-later
#include "mountplan.h"
#include "overlayconfig.h"
#include "pastedstack.h"

#include <QTest>

using namespace strata;

class OverlayConfigTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Mount options set over a source's own, with the kernel's implications (the playground's
    // switches and strata-cli --option): explicit defaults in the source do not block them.
    void mountOptionsOverTheSource()
    {
        MountPlan plan;
        plan.source = QStringLiteral("overlay:lowerdir=/l,upperdir=/u,workdir=/w,redirect_dir=follow,metacopy=off,index=off");
        auto metacopy = withOptions(plan, {QStringLiteral("metacopy=on")});
        QVERIFY(metacopy);
        QVERIFY2(metacopy->source.contains(QStringLiteral("redirect_dir=on")) && metacopy->source.contains(QStringLiteral("metacopy=on")), qPrintable(metacopy->source));
        auto index = withOptions(plan, {QStringLiteral("index=on"), QStringLiteral("xino=on")});
        QVERIFY(index && index->source.contains(QStringLiteral("index=on")) && index->source.contains(QStringLiteral("xino=on")));
        // What the kernel refuses is refused here, saying which.
        auto conflict = withOptions(plan, {QStringLiteral("metacopy=on"), QStringLiteral("redirect_dir=off")});
        QVERIFY(!conflict);
        QVERIFY(conflict.error().message().contains(QStringLiteral("metacopy=on needs redirect_dir=on")));
        auto rootless = forUserxattr(plan);
        QVERIFY(rootless);
        QVERIFY(rootless->source.contains(QStringLiteral("userxattr")) && !rootless->source.contains(QStringLiteral("redirect_dir")));
        QVERIFY(!withOptions(plan, {QStringLiteral("userxattr"), QStringLiteral("metacopy=on")}));
        QVERIFY(!withOptions(plan, {QStringLiteral("metacopy=maybe")}));
        // Parsed back, the result is what the kernel would mount.
        auto config = OverlayConfig::parse(metacopy->source.mid(8), QStringLiteral("/"), OverlayDefaults{});
        QVERIFY(config);
        QVERIFY(config->metacopy && config->redirect == RedirectMode::On);
    }

    void layersAndEscapes_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<QStringList>("layers"); // bottom → top, "role:path"
        QTest::newRow("seed") << QStringLiteral("lowerdir=image2:image1,upperdir=upper,workdir=work")
                              << QStringList{QStringLiteral("L:/base/image1"), QStringLiteral("L:/base/image2"), QStringLiteral("U:/base/upper")};
        QTest::newRow("escaped colon and comma") << QStringLiteral("lowerdir=/a\\:b:/c\\,d")
                                                 << QStringList{QStringLiteral("L:/c,d"), QStringLiteral("L:/a:b")};
        QTest::newRow("data-only") << QStringLiteral("lowerdir=/l1:/l2::/d1::/d2")
                                   << QStringList{QStringLiteral("D:/d2"), QStringLiteral("D:/d1"), QStringLiteral("L:/l2"), QStringLiteral("L:/l1")};
        QTest::newRow("lowerdir+ and datadir+") << QStringLiteral("lowerdir+=/l1,lowerdir+=/l2,datadir+=/d1")
                                                << QStringList{QStringLiteral("D:/d1"), QStringLiteral("L:/l2"), QStringLiteral("L:/l1")};
        QTest::newRow("read-only") << QStringLiteral("lowerdir=/x") << QStringList{QStringLiteral("L:/x")};
    }

    void layersAndEscapes()
    {
        QFETCH(QString, options);
        QFETCH(QStringList, layers);
        auto config = OverlayConfig::parse(options, QStringLiteral("/base"), OverlayDefaults{});
        QVERIFY2(config.hasValue(), config.hasValue() ? "" : qPrintable(config.error().message()));
        QStringList actual;
        for (const LayerSpec &l : config->layers)
            actual << QStringLiteral("%1:%2").arg(QChar(l.role == LayerRole::Upper ? u'U' : l.role == LayerRole::Lower ? u'L' : u'D')).arg(l.path);
        QCOMPARE(actual, layers);
        // The option string round-trips.
        auto again = OverlayConfig::parse(config->toOptionString(), QStringLiteral("/"), OverlayDefaults{});
        QVERIFY(again.hasValue());
        QCOMPARE(again->layers.size(), config->layers.size());
        for (size_t i = 0; i < layers.size(); ++i)
            QCOMPARE(again->layers[i].path, config->layers[i].path);
    }

    void kernelImplications_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<bool>("moduleRedirectDir");
        QTest::addColumn<int>("redirect");
        QTest::addColumn<bool>("metacopy");
        QTest::newRow("module default follow") << QStringLiteral("lowerdir=/a") << false << int(RedirectMode::Follow) << false;
        QTest::newRow("module default on") << QStringLiteral("lowerdir=/a") << true << int(RedirectMode::On) << false;
        QTest::newRow("metacopy turns redirect on") << QStringLiteral("lowerdir=/a,metacopy=on") << false << int(RedirectMode::On) << true;
        QTest::newRow("explicit redirect turns metacopy off") << QStringLiteral("lowerdir=/a,redirect_dir=follow") << false << int(RedirectMode::Follow) << false;
        QTest::newRow("userxattr") << QStringLiteral("lowerdir=/a,userxattr") << true << int(RedirectMode::NoFollow) << false;
    }

    void kernelImplications()
    {
        QFETCH(QString, options);
        QFETCH(bool, moduleRedirectDir);
        QFETCH(int, redirect);
        QFETCH(bool, metacopy);
        OverlayDefaults defaults;
        defaults.redirectDir = moduleRedirectDir;
        defaults.metacopy = options.contains(QStringLiteral("redirect_dir=follow"));
        auto config = OverlayConfig::parse(options, QStringLiteral("/"), defaults);
        QVERIFY(config.hasValue());
        QCOMPARE(int(config->redirect), redirect);
        QCOMPARE(config->metacopy, metacopy);
    }

    // What ovl_show_options prints, and what mountinfo and SELinux add around it: accepted, kept
    // for the record, without effect on the layers.
    void kernelPrintedOptions_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<bool>("userxattr");
        const QString layers = QStringLiteral("lowerdir=/l1:/l2,upperdir=/u,workdir=/w");
        QTest::newRow("docker on 6.x") << QStringLiteral("rw,relatime,%1,nouserxattr").arg(layers) << false;
        QTest::newRow("selinux context with commas")
            << QStringLiteral("rw,context=\"system_u:object_r:container_file_t:s0:c123,c456\",%1").arg(layers) << false;
        QTest::newRow("all LSM contexts") << QStringLiteral("%1,fscontext=a,defcontext=b,rootcontext=\"c,d\",seclabel").arg(layers) << false;
        QTest::newRow("ovl_show_options, everything")
            << QStringLiteral("%1,default_permissions,redirect_dir=on,index=on,uuid=null,nfs_export=off,xino=auto,metacopy=on,volatile,verity=require").arg(layers)
            << false;
        QTest::newRow("uuid and xino spellings") << QStringLiteral("%1,uuid=auto,xino=off,verity=off,nfs_export=on").arg(layers) << false;
        QTest::newRow("fsync, as 6.18 prints volatile") << QStringLiteral("rw,%1,uuid=on,fsync=volatile").arg(layers) << false;
        QTest::newRow("rootless podman") << QStringLiteral("rw,nodev,nosuid,relatime,%1,userxattr").arg(layers) << true;
        QTest::newRow("per-mount flags") << QStringLiteral("ro,nosymfollow,noexec,noatime,lazytime,%1").arg(layers) << false;
    }

    void kernelPrintedOptions()
    {
        QFETCH(QString, options);
        QFETCH(bool, userxattr);
        auto config = OverlayConfig::parse(options, QStringLiteral("/"), OverlayDefaults{});
        QVERIFY2(config.hasValue(), config.hasValue() ? "" : qPrintable(config.error().message()));
        QCOMPARE(config->layers.size(), size_t(3));
        QCOMPARE(config->layers[2].path, QStringLiteral("/u"));
        QCOMPARE(config->userxattr, userxattr);
        // The pasted mountinfo line gives the same.
        const QString line = QStringLiteral("1234 56 0:78 / /var/lib/docker/overlay2/x/merged rw,relatime shared:1 - overlay overlay %1").arg(options);
        auto pasted = optionsFromPastedText(line);
        QVERIFY2(pasted.hasValue(), pasted.hasValue() ? "" : qPrintable(pasted.error().message()));
        QCOMPARE(*pasted, options);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<QString>("message");
        QTest::newRow("upper without work") << QStringLiteral("lowerdir=/a,upperdir=/u") << QStringLiteral("needs a workdir");
        QTest::newRow("mixed lowerdir forms") << QStringLiteral("lowerdir=/a,lowerdir+=/b") << QStringLiteral("mix");
        QTest::newRow("metacopy conflict") << QStringLiteral("lowerdir=/a,metacopy=on,redirect_dir=off") << QStringLiteral("conflicting");
        QTest::newRow("bad on/off") << QStringLiteral("lowerdir=/a,index=yes") << QStringLiteral("takes on or off");
        QTest::newRow("bad xino") << QStringLiteral("lowerdir=/a,xino=maybe") << QStringLiteral("xino takes on, off, auto, not 'maybe'");
        QTest::newRow("flag with a value") << QStringLiteral("lowerdir=/a,volatile=yes") << QStringLiteral("takes no value");
        QTest::newRow("context without value") << QStringLiteral("lowerdir=/a,context") << QStringLiteral("needs a value");
        QTest::newRow("still unknown") << QStringLiteral("lowerdir=/a,frobnicate") << QStringLiteral("unknown overlay option 'frobnicate'");
        QTest::newRow("trailing data separator") << QStringLiteral("lowerdir=/a::") << QStringLiteral("empty layer");
    }

    void errors()
    {
        QFETCH(QString, options);
        QFETCH(QString, message);
        auto config = OverlayConfig::parse(options, QStringLiteral("/"), OverlayDefaults{});
        QVERIFY(!config.hasValue());
        QVERIFY2(config.error().message().contains(message), qPrintable(config.error().message()));
    }

    void pastedText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("options");
        QTest::newRow("bare") << QStringLiteral("lowerdir=/a:/b,upperdir=/u,workdir=/w") << QStringLiteral("lowerdir=/a:/b,upperdir=/u,workdir=/w");
        QTest::newRow("mount line") << QStringLiteral("overlay on /m type overlay (rw,relatime,lowerdir=/a:/b,upperdir=/u,workdir=/w)\n")
                                    << QStringLiteral("rw,relatime,lowerdir=/a:/b,upperdir=/u,workdir=/w");
        QTest::newRow("findmnt") << QStringLiteral("TARGET SOURCE FSTYPE OPTIONS\n/m overlay overlay rw,relatime,lowerdir=/a\\040b:/c,upperdir=/u,workdir=/w")
                                 << QStringLiteral("rw,relatime,lowerdir=/a b:/c,upperdir=/u,workdir=/w");
        QTest::newRow("docker inspect") << QStringLiteral(R"({"Data": {"LowerDir": "/d/l1/diff:/d/l2/diff", "MergedDir": "/d/m", "UpperDir": "/d/u/diff", "WorkDir": "/d/u/work"}, "Name": "overlay2"})")
                                        << QStringLiteral("lowerdir=/d/l1/diff:/d/l2/diff,upperdir=/d/u/diff,workdir=/d/u/work");
        QTest::newRow("docker inspect array")
            << QStringLiteral(R"([{"Id": "abc", "Config": {"Env": ["A=1"]}, "GraphDriver": {"Data": {"ID": "abc", "LowerDir": "/d/l1/diff:/d/l2/diff", "MergedDir": "/d/m", "UpperDir": "/d/u/diff", "WorkDir": "/d/u/work"}, "Name": "overlay2"}, "Mounts": []}])")
            << QStringLiteral("lowerdir=/d/l1/diff:/d/l2/diff,upperdir=/d/u/diff,workdir=/d/u/work");
        QTest::newRow("docker fragment")
            << QStringLiteral("  \"LowerDir\": \"/d/l1/diff\",\n  \"UpperDir\": \"/d/u/diff\",\n  \"WorkDir\": \"/d/u/work\",\n")
            << QStringLiteral("lowerdir=/d/l1/diff,upperdir=/d/u/diff,workdir=/d/u/work");
        QTest::newRow("docker single layer") << QStringLiteral(R"({"Data": {"MergedDir": "/d/m", "UpperDir": "/d/u/diff", "WorkDir": "/d/u/work"}})")
                                             << QStringLiteral("lowerdir=/d/u/diff");
    }

    void pastedText()
    {
        QFETCH(QString, text);
        QFETCH(QString, options);
        auto parsed = optionsFromPastedText(text);
        QVERIFY2(parsed.hasValue(), parsed.hasValue() ? "" : qPrintable(parsed.error().message()));
        QCOMPARE(*parsed, options);
        QVERIFY(OverlayConfig::parse(*parsed, QStringLiteral("/"), OverlayDefaults{}).hasValue());
    }

    // Paths with every character the option syntax gives a meaning to print as an option string
    // that parses back to the same stack (a bare '"' once swallowed the options after it: found
    // by fuzz_overlayoptions).
    void printedOptionsParseBack()
    {
        const QString odd = QStringLiteral("/l/a\"b,c:d\\e");
        auto config = OverlayConfig::parse(QStringLiteral("lowerdir=") + escapeOverlayPath(odd) + QStringLiteral(":/l/two,upperdir=/u,workdir=/w"), QStringLiteral("/"), OverlayDefaults{});
        QVERIFY2(config, config ? "" : qPrintable(config.error().message()));
        QCOMPARE(config->layers.size(), size_t(3));
        QCOMPARE(config->layers[1].path, odd);
        auto again = OverlayConfig::parse(config->toOptionString(), QStringLiteral("/"), OverlayDefaults{});
        QVERIFY2(again, again ? "" : qPrintable(again.error().message()));
        QCOMPARE(again->layers.size(), size_t(3));
        for (size_t i = 0; i < 3; ++i)
            QCOMPARE(again->layers[i].path, config->layers[i].path);
        QCOMPARE(again->toOptionString(), config->toOptionString());
    }

    // A relative layer whose name starts with ':' (escaped) resolves against the base dir like any
    // other (QDir took it for a Qt resource path: found by fuzz_overlayoptions).
    void colonNamedLayer()
    {
        auto config = OverlayConfig::parse(QStringLiteral("lowerdir=\\:c:./d/../\\:e,upperdir=\\:u,workdir=w"), QStringLiteral("/base"), OverlayDefaults{});
        QVERIFY2(config, config ? "" : qPrintable(config.error().message()));
        QCOMPARE(config->layers.size(), size_t(3));
        QCOMPARE(config->layers[0].path, QStringLiteral("/base/:e"));
        QCOMPARE(config->layers[1].path, QStringLiteral("/base/:c"));
        QCOMPARE(config->layers[2].path, QStringLiteral("/base/:u"));
        // "..//z" from /base is /z, not "//z" (QDir::cleanPath keeps the double slash).
        auto doubled = OverlayConfig::parse(QStringLiteral("lowerdir+=/x,lowerdir+=..//z"), QStringLiteral("/base"), OverlayDefaults{});
        QVERIFY2(doubled, doubled ? "" : qPrintable(doubled.error().message()));
        QCOMPARE(doubled->layers[0].path, QStringLiteral("/z"));
    }

    void pastedGarbage()
    {
        QVERIFY(!optionsFromPastedText(QStringLiteral("hello world")).hasValue());
        QVERIFY(!optionsFromPastedText(QString()).hasValue());
    }
};

QTEST_GUILESS_MAIN(OverlayConfigTest)
#include "test_overlayconfig.moc"
