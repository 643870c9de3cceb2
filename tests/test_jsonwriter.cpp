// SPDX-License-Identifier: GPL-3.0-or-later
#include "jsonwriter.h"

#include <QJsonDocument>
#include <QTest>

using namespace strata;

class JsonWriterTest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("ascii") << QByteArray("plain.txt");
        QTest::newRow("utf8") << QByteArray("한글 파일 ü");
        QTest::newRow("quote backslash newline") << QByteArray("a\"b\\c\nd\te\x01");
        QTest::newRow("invalid bytes") << QByteArray("\xff\xfe name \x80");
        QTest::newRow("encoded surrogate") << QByteArray("\xed\xa0\x80");
        QTest::newRow("overlong") << QByteArray("\xc0\xaf");
        QTest::newRow("truncated sequence") << QByteArray("abc\xe2\x82");
    }

    void roundTrip()
    {
        QFETCH(QByteArray, bytes);
        std::string json;
        appendJsonString(json, bytes.toStdString());
        // Valid UTF-8 and valid JSON.
        QVERIFY(QString::fromUtf8(json.data(), qsizetype(json.size())).toUtf8() == QByteArray::fromStdString(json));
        QJsonParseError error{};
        QJsonDocument::fromJson(QByteArray::fromStdString("[" + json + "]"), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        std::string back;
        QVERIFY(decodeJsonStringBytes(json, back));
        QCOMPARE(QByteArray::fromStdString(back), bytes);
    }

    void surrogateEscapeSpelling()
    {
        std::string json;
        appendJsonString(json, "\xff");
        QCOMPARE(json, std::string("\"\\udcff\""));
    }
};

QTEST_GUILESS_MAIN(JsonWriterTest)
#include "test_jsonwriter.moc"
