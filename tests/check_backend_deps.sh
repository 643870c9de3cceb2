#!/bin/sh
# backend/ must not use QtGui or QtWidgets: CMake alone does not catch an include of them.
set -eu
src=${1:?source dir}
bad=$(grep -rnE '#include *<(QtGui|QtWidgets|QWidget|QPainter|QColor|QImage|QPixmap|QApplication|QGuiApplication|QFont)' "$src/backend" || true)
link=$(grep -nE 'Qt6::(Gui|Widgets)' "$src/backend/CMakeLists.txt" || true)
if [ -n "$bad$link" ]; then
    echo "backend uses QtGui/QtWidgets:"; echo "$bad"; echo "$link"; exit 1
fi
echo "backend is free of QtGui and QtWidgets ($(ls "$src"/backend/*.cpp | wc -l) sources checked)"
