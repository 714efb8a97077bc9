#!/usr/bin/env bash
# Makes sure Tesseract (and its English, French and German data) is there for the personal-data
# gate (monitor/gate.py): nothing reaches snapshots/ or instructions/ without being read back by OCR.
set -euo pipefail
if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx eng; then
  exit 0
fi
echo "ensure-ocr: no Tesseract with English data found; installing Debian's tesseract-ocr" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-ocr: not root and no sudo: run  apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra tesseract-ocr-deu >/dev/null
echo "ensure-ocr: installed $(tesseract --version 2>/dev/null | head -1)" >&2
