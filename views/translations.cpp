// SPDX-License-Identifier: GPL-3.0-or-later
#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace strata {

namespace {
std::unique_ptr<QTranslator> g_strata;
std::unique_ptr<QTranslator> g_qt;
QString g_current;
}

void applyLanguage(const QString &code)
{
    for (auto *t : {&g_strata, &g_qt}) {
        if (*t)
            QCoreApplication::removeTranslator(t->get());
        t->reset();
    }
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code);
    QLocale::setDefault(locale);
    // Strata speaks English where it has no catalogue for the locale ("C", "de", …): that is the
    // language in use, and the one the Language menu ticks.
    g_current = locale.name().section(u'_', 0, 0);
    if (!availableLanguages().contains(g_current))
        g_current = QStringLiteral("en");
    auto strataTranslator = std::make_unique<QTranslator>();
    if (strataTranslator->load(locale, QStringLiteral("strata"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(strataTranslator.get());
        g_strata = std::move(strataTranslator);
    }
    auto qtTranslator = std::make_unique<QTranslator>();
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qtTranslator.get());
        g_qt = std::move(qtTranslator);
    }
}

QString currentLanguage()
{
    return g_current;
}

QStringList availableLanguages()
{
    return {QStringLiteral("en"), QStringLiteral("ko")};
}

} // namespace strata
