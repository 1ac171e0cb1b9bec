#!/usr/bin/env bash
# Set up what is missing, then open Narrative Coach. Arguments go to the narrative-coach command.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/narrative-coach "$@"
