// SPDX-License-Identifier: GPL-3.0-or-later
#include "opendialog.h"

#include "errortext.h"

#include "overlayconfig.h"
#include "pastedstack.h"
#include "source.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QtConcurrent/QtConcurrentRun>
#include <QTreeWidget>
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
    , m_found(new QTreeWidget(this))
    , m_foundStatus(new QLabel(this))
    , m_sourceEdit(new QLineEdit(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Open a stack or an image"));
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

    // Images tab: image files, and what the machine's container storages and mounts hold.
    auto *images = new QWidget(this);
    auto *imagesLayout = new QVBoxLayout(images);
    auto *pickRow = new QHBoxLayout;
    auto *pickOci = new QPushButton(tr("OCI Layout Folder…"), images);
    auto *pickArchive = new QPushButton(tr("docker save Archive…"), images);
    auto *lookAgain = new QPushButton(tr("Look Again"), images);
    pickRow->addWidget(pickOci);
    pickRow->addWidget(pickArchive);
    pickRow->addStretch();
    pickRow->addWidget(lookAgain);
    imagesLayout->addLayout(pickRow);
    m_found->setColumnCount(2);
    m_found->setHeaderLabels({tr("Found on this machine"), tr("Details")});
    m_found->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_found->header()->setStretchLastSection(false);
    m_found->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_found->setRootIsDecorated(true);
    imagesLayout->addWidget(m_found, 1);
    m_foundStatus->setWordWrap(true);
    imagesLayout->addWidget(m_foundStatus);
    auto *sourceRow = new QFormLayout;
    m_sourceEdit->setPlaceholderText(QStringLiteral("oci:PATH[:REF] · docker-archive:PATH · docker-storage:IMAGE · containers-storage:IMAGE · mount:PATH"));
    sourceRow->addRow(tr("SOURCE:"), m_sourceEdit);
    imagesLayout->addLayout(sourceRow);
    m_tabs->addTab(images, tr("Images"));
    connect(pickOci, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose an OCI image layout"));
        if (!dir.isEmpty())
            m_sourceEdit->setText(sourcePrefix(SourceKind::Oci) + dir);
    });
    connect(pickArchive, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Choose a docker save archive"), QString(), tr("Tar archives (*.tar);;All files (*)"));
        if (!file.isEmpty())
            m_sourceEdit->setText(sourcePrefix(SourceKind::DockerArchive) + file);
    });
    connect(lookAgain, &QPushButton::clicked, this, &OpenDialog::findMachineSources);
    connect(m_found, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        if (item && item->data(0, Qt::UserRole).isValid())
            m_sourceEdit->setText(item->data(0, Qt::UserRole).toString());
    });
    connect(m_found, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        if (item && item->data(0, Qt::UserRole).isValid() && !source().isEmpty())
            accept();
    });
    connect(m_sourceEdit, &QLineEdit::textChanged, this, &OpenDialog::validate);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int tab) {
        if (tab == imagesTab && !m_searched)
            findMachineSources();
    });

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

void OpenDialog::findMachineSources()
{
    m_searched = true;
    m_foundStatus->setText(tr("Looking for images, containers and overlay mounts…"));
    auto *watcher = new QFutureWatcher<MachineSources>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        showMachineSources(watcher->result());
        Q_EMIT machineSourcesFound();
    });
    watcher->setFuture(QtConcurrent::run([roots = m_roots] { return strata::findMachineSources(roots); }));
}

void OpenDialog::showMachineSources(const MachineSources &found)
{
    m_found->clear();
    const std::pair<MachineSource::Kind, QString> groups[] = {
        {MachineSource::Kind::Image, tr("Images")}, {MachineSource::Kind::Container, tr("Containers")}, {MachineSource::Kind::Mount, tr("Overlay mounts")}};
    for (const auto &[kind, title] : groups) {
        auto *group = new QTreeWidgetItem(m_found, {title});
        group->setFlags(Qt::ItemIsEnabled);
        for (const MachineSource &item : found.items) {
            if (item.kind != kind)
                continue;
            auto *row = new QTreeWidgetItem(group, {item.title, item.detail});
            row->setData(0, Qt::UserRole, item.source);
            row->setToolTip(0, item.source);
        }
        group->setText(0, QStringLiteral("%1 (%2)").arg(title).arg(group->childCount()));
        group->setExpanded(true);
    }
    QStringList lines;
    for (const Error &problem : found.problems) {
        QString line = errorText(problem);
        if (problem.code == ErrorCode::Permission)
            line += u' ' + tr("Container storage is readable by root only: run Strata as root to open it.");
        lines << line;
    }
    if (found.items.empty() && lines.isEmpty())
        lines << tr("No images, containers or overlay mounts found here. Choose an OCI layout or a docker save archive, or type a SOURCE.");
    m_foundStatus->setText(lines.join(u'\n'));
}

QString OpenDialog::imageSourceProblem(const QString &text) const
{
    auto address = parseSourceAddress(text);
    if (!address)
        return errorText(address.error());
    // Files named by the source are checked here, where a typo can be fixed.
    if (address->kind == SourceKind::Oci || address->kind == SourceKind::DockerArchive || address->kind == SourceKind::Mount) {
        QString path = address->argument;
        if (address->kind == SourceKind::DockerArchive || address->kind == SourceKind::Oci) {
            // PATH[:REF]: the longest prefix that exists is the path.
            while (!QFileInfo::exists(path) && path.contains(u':'))
                path = path.section(u':', 0, -2);
        }
        if (!QFileInfo::exists(path))
            return errorText(makeError(ErrorCode::NotFound, QString(), path));
    }
    return {};
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
    case imagesTab: {
        const QString text = m_sourceEdit->text().trimmed();
        m_error = text.isEmpty() ? tr("Choose an image, a container or a mount, or type a SOURCE.") : imageSourceProblem(text);
        m_source = m_error.isEmpty() ? text : QString();
        m_status->setText(m_error.isEmpty() ? text : m_error);
        if (auto *box = findChild<QDialogButtonBox *>())
            box->button(QDialogButtonBox::Open)->setEnabled(m_error.isEmpty());
        return;
    }
    default: {
        // Recent stacks are any SOURCE.
        const QString recent = m_recent->currentItem() ? m_recent->currentItem()->text() : QString();
        if (recent.isEmpty())
            m_error = tr("Choose a recent stack.");
        else if (!recent.startsWith(sourcePrefix(SourceKind::Overlay))) {
            m_error = imageSourceProblem(recent);
            m_source = m_error.isEmpty() ? recent : QString();
            m_status->setText(m_error.isEmpty() ? recent : m_error);
            if (auto *box = findChild<QDialogButtonBox *>())
                box->button(QDialogButtonBox::Open)->setEnabled(m_error.isEmpty());
            return;
        } else
            options = recent.mid(sourcePrefix(SourceKind::Overlay).size());
    }
    }
    if (m_error.isEmpty())
        m_error = directoryProblem(options);
    m_source = m_error.isEmpty() ? QStringLiteral("overlay:") + options : QString();
    m_status->setText(m_error.isEmpty() ? QStringLiteral("overlay:") + options : m_error);
    if (auto *box = findChild<QDialogButtonBox *>())
        box->button(QDialogButtonBox::Open)->setEnabled(m_error.isEmpty());
}

} // namespace strata
