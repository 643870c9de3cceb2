// SPDX-License-Identifier: GPL-3.0-or-later
#include "opendialog.h"

#include "errortext.h"

#include "overlayconfig.h"
#include "pastedstack.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace strata {


OpenDialog::OpenDialog(QWidget *parent)
    : QDialog(parent)
    , m_tabs(new QTabWidget(this))
    , m_lowers(new QListWidget(this))
    , m_upper(new QLineEdit(this))
    , m_work(new QLineEdit(this))
    , m_redirect(new QComboBox(this))
    , m_metacopy(new QComboBox(this))
    , m_userxattr(new QCheckBox(tr("userxattr (user.overlay.* xattrs, as unprivileged mounts use)"), this))
    , m_paste(new QPlainTextEdit(this))
    , m_recent(new QListWidget(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Open overlay stack"));
    resize(720, 480);

    // Assemble tab
    auto *assemble = new QWidget(this);
    auto *form = new QFormLayout(assemble);
    auto *lowerBox = new QWidget(assemble);
    auto *lowerLayout = new QHBoxLayout(lowerBox);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    m_lowers->setToolTip(tr("Lower directories, topmost first (as lowerdir= lists them)"));
    lowerLayout->addWidget(m_lowers, 1);
    auto *buttons = new QVBoxLayout;
    auto *add = new QPushButton(tr("Add…"), lowerBox);
    auto *remove = new QPushButton(tr("Remove"), lowerBox);
    auto *up = new QPushButton(tr("Move up"), lowerBox);
    auto *down = new QPushButton(tr("Move down"), lowerBox);
    for (QPushButton *b : {add, remove, up, down})
        buttons->addWidget(b);
    buttons->addStretch();
    lowerLayout->addLayout(buttons);
    form->addRow(tr("Lower layers:"), lowerBox);
    // The order matters and is easy to get backwards: say it where the list is.
    auto *order = new QLabel(tr("Topmost first: the first line lies right below the upper layer, the last line is the bottom layer. "
                                "Add puts a directory on top."),
                             assemble);
    order->setWordWrap(true);
    form->addRow(QString(), order);
    auto *upperRow = new QHBoxLayout;
    upperRow->addWidget(m_upper);
    auto *browseUpper = new QPushButton(tr("Browse…"), assemble);
    upperRow->addWidget(browseUpper);
    m_upper->setPlaceholderText(tr("optional: the upper (writable) directory"));
    form->addRow(tr("Upper layer:"), upperRow);
    m_work->setPlaceholderText(tr("needed with an upper dir; not read"));
    form->addRow(tr("Work dir:"), m_work);
    m_redirect->addItem(tr("kernel default"), QString());
    for (const char *mode : {"on", "follow", "nofollow", "off"})
        m_redirect->addItem(QString::fromLatin1(mode), QString::fromLatin1(mode));
    form->addRow(QStringLiteral("redirect_dir:"), m_redirect);
    m_metacopy->addItem(tr("kernel default"), QString());
    m_metacopy->addItem(QStringLiteral("on"), QStringLiteral("on"));
    m_metacopy->addItem(QStringLiteral("off"), QStringLiteral("off"));
    form->addRow(QStringLiteral("metacopy:"), m_metacopy);
    form->addRow(QString(), m_userxattr);
    m_tabs->addTab(assemble, tr("Assemble"));

    // Paste tab
    m_paste->setPlaceholderText(tr("Paste mount options, a line of mount or findmnt, /proc/self/mountinfo, or the GraphDriver part of docker inspect"));
    m_tabs->addTab(m_paste, tr("Paste"));
    // Recent tab
    m_tabs->addTab(m_recent, tr("Recent"));

    auto *box = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    layout->addWidget(box);

    connect(add, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Add a lower layer"));
        if (!dir.isEmpty())
            addLowerDir(dir);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        delete m_lowers->currentItem();
        validate();
    });
    auto move = [this](int delta) {
        const int row = m_lowers->currentRow();
        if (row < 0 || row + delta < 0 || row + delta >= m_lowers->count())
            return;
        QListWidgetItem *item = m_lowers->takeItem(row);
        m_lowers->insertItem(row + delta, item);
        m_lowers->setCurrentRow(row + delta);
        validate();
    };
    connect(up, &QPushButton::clicked, this, [move] { move(-1); });
    connect(down, &QPushButton::clicked, this, [move] { move(+1); });
    connect(browseUpper, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose the upper layer"));
        if (!dir.isEmpty())
            m_upper->setText(dir);
    });
    connect(m_upper, &QLineEdit::textChanged, this, [this](const QString &upper) {
        // Suggest a work dir beside the upper one, as docker and podman lay them out.
        if (m_work->text().isEmpty() || m_work->isModified() == false)
            m_work->setText(upper.isEmpty() ? QString() : QDir::cleanPath(upper + QStringLiteral("/../work")));
        validate();
    });
    // Clearing or editing the work dir changes the stack: the preview and the check follow.
    connect(m_work, &QLineEdit::textChanged, this, &OpenDialog::validate);
    for (QComboBox *c : {m_redirect, m_metacopy})
        connect(c, &QComboBox::currentIndexChanged, this, &OpenDialog::validate);
    connect(m_userxattr, &QCheckBox::toggled, this, &OpenDialog::validate);
    connect(m_paste, &QPlainTextEdit::textChanged, this, &OpenDialog::validate);
    connect(m_tabs, &QTabWidget::currentChanged, this, &OpenDialog::validate);
    connect(m_recent, &QListWidget::currentRowChanged, this, &OpenDialog::validate);
    connect(m_recent, &QListWidget::itemActivated, this, &QDialog::accept);
    connect(box, &QDialogButtonBox::accepted, this, [this] {
        if (!source().isEmpty())
            accept();
    });
    connect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    validate();
}

void OpenDialog::setLowerDirs(const QStringList &topFirst)
{
    m_lowers->clear();
    m_lowers->addItems(topFirst);
    m_tabs->setCurrentIndex(0);
    validate();
}

void OpenDialog::addLowerDir(const QString &dir)
{
    m_lowers->insertItem(0, dir);
    m_lowers->setCurrentRow(0);
    m_tabs->setCurrentIndex(0);
    validate();
}

bool OpenDialog::canOpen() const
{
    auto *box = findChild<QDialogButtonBox *>();
    return box && box->button(QDialogButtonBox::Open)->isEnabled();
}

QString OpenDialog::directoryProblem(const QString &options) const
{
    // Checked here, where it can be corrected, rather than when the load fails.
    auto config = OverlayConfig::parse(options, QDir::currentPath(), OverlayDefaults::fromRunningKernel());
    if (!config)
        return errorText(config.error());
    QStringList paths;
    for (const LayerSpec &layer : config->layers)
        paths << layer.path;
    for (const QString &path : std::as_const(paths)) {
        const QFileInfo info(path);
        if (!info.exists())
            return errorText(makeError(ErrorCode::NotFound, QString(), path));
        if (!info.isDir())
            return errorText(makeError(ErrorCode::NotADirectory, QString(), path));
    }
    // The work dir is not read, but one that is a file would make the kernel refuse the mount.
    if (!config->workdir.isEmpty() && QFileInfo(config->workdir).exists() && !QFileInfo(config->workdir).isDir())
        return errorText(makeError(ErrorCode::NotADirectory, QString(), config->workdir));
    return {};
}

void OpenDialog::setRecentSources(const QStringList &recent)
{
    m_recent->clear();
    m_recent->addItems(recent);
}

QString OpenDialog::assembledOptions() const
{
    QStringList lowers;
    for (int i = 0; i < m_lowers->count(); ++i)
        lowers << escapeOverlayPath(m_lowers->item(i)->text());
    QStringList options{QStringLiteral("lowerdir=") + lowers.join(u':')};
    if (!m_upper->text().isEmpty()) {
        options << QStringLiteral("upperdir=") + escapeOverlayPath(m_upper->text());
        options << QStringLiteral("workdir=") + escapeOverlayPath(m_work->text());
    }
    if (!m_redirect->currentData().toString().isEmpty())
        options << QStringLiteral("redirect_dir=") + m_redirect->currentData().toString();
    if (!m_metacopy->currentData().toString().isEmpty())
        options << QStringLiteral("metacopy=") + m_metacopy->currentData().toString();
    if (m_userxattr->isChecked())
        options << QStringLiteral("userxattr");
    return options.join(u',');
}

QString OpenDialog::source() const
{
    return m_source;
}

void OpenDialog::validate()
{
    QString options;
    m_error.clear();
    switch (m_tabs->currentIndex()) {
    case 0:
        if (m_lowers->count() == 0)
            m_error = tr("Add at least one lower layer.");
        else
            options = assembledOptions();
        break;
    case 1: {
        auto pasted = optionsFromPastedText(m_paste->toPlainText());
        if (pasted)
            options = *pasted;
        else
            m_error = errorText(pasted.error());
        break;
    }
    default:
        if (m_recent->currentItem())
            options = m_recent->currentItem()->text().mid(int(sizeof("overlay:") - 1));
        else
            m_error = tr("Choose a recent stack.");
    }
    if (m_error.isEmpty())
        m_error = directoryProblem(options);
    m_source = m_error.isEmpty() ? QStringLiteral("overlay:") + options : QString();
    m_status->setText(m_error.isEmpty() ? QStringLiteral("overlay:") + options : m_error);
    if (auto *box = findChild<QDialogButtonBox *>())
        box->button(QDialogButtonBox::Open)->setEnabled(m_error.isEmpty());
}

} // namespace strata
