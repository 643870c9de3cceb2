// SPDX-License-Identifier: GPL-3.0-or-later
#include "linediff.h"

#include <QTest>

using namespace strata;

class LineDiffTest : public QObject
{
    Q_OBJECT
    static QString render(const QStringList &a, const QStringList &b)
    {
        QStringList out;
        for (const DiffRow &r : diffLines(a, b)) {
            static const char *marks[] = {"=", "-", "+", "~"};
            out << QStringLiteral("%1%2|%3").arg(QLatin1StringView(marks[r.kind]), r.left < 0 ? QString() : a[r.left], r.right < 0 ? QString() : b[r.right]);
        }
        return out.join(u' ');
    }

private Q_SLOTS:
    void rows_data()
    {
        QTest::addColumn<QByteArray>("left");
        QTest::addColumn<QByteArray>("right");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("same") << QByteArray("a b") << QByteArray("a b") << QByteArray("=a|a =b|b");
        QTest::newRow("appended") << QByteArray("b") << QByteArray("b c") << QByteArray("=b|b +|c");
        QTest::newRow("changed line pairs up") << QByteArray("a x c") << QByteArray("a y c") << QByteArray("=a|a ~x|y =c|c");
        QTest::newRow("removed") << QByteArray("a b c") << QByteArray("a c") << QByteArray("=a|a -b| =c|c");
        QTest::newRow("empty left") << QByteArray("") << QByteArray("a") << QByteArray("+|a");
        QTest::newRow("moved") << QByteArray("a b c d") << QByteArray("b c d a") << QByteArray("-a| =b|b =c|c =d|d +|a");
    }

    void rows()
    {
        QFETCH(QByteArray, left);
        QFETCH(QByteArray, right);
        QFETCH(QByteArray, expected);
        QCOMPARE(render(QString::fromUtf8(left).split(u' ', Qt::SkipEmptyParts), QString::fromUtf8(right).split(u' ', Qt::SkipEmptyParts)), QString::fromUtf8(expected));
    }

    void words()
    {
        const QString a = QStringLiteral("listen 80 default_server;");
        const QString b = QStringLiteral("listen 8080 default_server;");
        const WordSpan s = changedWords(a, b);
        QCOMPARE(a.mid(s.leftStart, s.leftEnd - s.leftStart), QStringLiteral("80"));
        QCOMPARE(b.mid(s.rightStart, s.rightEnd - s.rightStart), QStringLiteral("8080"));
    }

    void workIsBoundedByOperations_data()
    {
        QTest::addColumn<int>("lines");
        QTest::addColumn<int>("sharedEvery"); // 0: nothing in common; k: every k-th line equal
        QTest::newRow("small, all different") << 800 << 0;
        QTest::newRow("small, interleaved") << 1000 << 3;
        QTest::newRow("huge, all different") << 20000 << 0;
        QTest::newRow("huge, interleaved") << 40000 << 2;
        QTest::newRow("huge, equal but the middle line") << 100000 << 1;
    }

    // The bound is on counted line comparisons, so a quadratic regression fails here however fast
    // the machine is: at most the LCS cap plus a linear term for head, tail and the walk.
    void workIsBoundedByOperations()
    {
        QFETCH(int, lines);
        QFETCH(int, sharedEvery);
        QStringList a, b;
        for (int i = 0; i < lines; ++i) {
            const bool shared = sharedEvery > 0 && i % sharedEvery == 0;
            a << (shared ? QStringLiteral("same %1").arg(i) : QStringLiteral("left %1").arg(i));
            b << (shared ? QStringLiteral("same %1").arg(i) : QStringLiteral("right %1").arg(i));
        }
        if (sharedEvery == 1)
            b[lines / 2] = QStringLiteral("changed");
        DiffCounters counters;
        const auto rows = diffLines(a, b, &counters);
        QVERIFY(rows.size() >= size_t(lines));
        const uint64_t n = uint64_t(a.size() + b.size());
        QVERIFY2(counters.lineComparisons <= uint64_t(maxLcsCells) + 4 * n,
                 qPrintable(QStringLiteral("%1 comparisons for %2 lines").arg(counters.lineComparisons).arg(n)));
        if (sharedEvery == 1)
            QVERIFY2(counters.lineComparisons <= 4 * n, "equal head and tail are trimmed linearly");
    }
};

QTEST_GUILESS_MAIN(LineDiffTest)
#include "test_linediff.moc"
