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

    void hugeInputStaysLinear()
    {
        QStringList a, b;
        for (int i = 0; i < 20000; ++i) {
            a << QString::number(i);
            b << QString::number(i * 7);
        }
        const auto rows = diffLines(a, b);
        QVERIFY(rows.size() >= 20000);
    }
};

QTEST_GUILESS_MAIN(LineDiffTest)
#include "test_linediff.moc"
