#!/usr/bin/env bash
# Makes sure Tesseract (and its English, French and German data) is there for the personal-data
# gate (monitor/guard/gate.py): nothing reaches snapshots/ or instructions/ without being read back by OCR.
set -euo pipefail
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng; then
  exit 0
fi
"$BASH" "${BASH_SOURCE[0]%/*}/apt-install.sh" "ensure-ocr: no Tesseract with English data found" \
  "install tesseract-ocr and tesseract-ocr-eng yourself; accept, update and publish refuse to write without it" \
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu
echo "ensure-ocr: installed $(tesseract --version 2>/dev/null | head -1)" >&2
