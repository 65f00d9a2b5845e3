#!/usr/bin/env sh
# Regenerate the hash-checked locks from the top-level pins:
#   policy/requirements.in -> policy/requirements.txt  (what `--policy-pack policy` installs)
#   requirements.in        -> requirements.txt         (what `pulumi up` installs into infra/venv)
# The program's lock is resolved within the policy pack's, so that the packages both share
# (pulumi, grpcio, protobuf...) have one version: pulumi-policy caps protobuf below 6.
# Needs Python 3.11 and the package index, nothing else.
set -eu
cd "$(dirname "$0")"
PIP_TOOLS_VERSION=7.6.2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
python3.11 -m venv "$scratch/venv" 2>/dev/null || python3 -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install -q --upgrade pip "pip-tools==$PIP_TOOLS_VERSION"
export CUSTOM_COMPILE_COMMAND=./relock.sh
compile() {
    "$scratch/venv/bin/pip-compile" --quiet --generate-hashes --allow-unsafe --strip-extras \
        --no-emit-index-url --no-emit-find-links --newline=LF "$@"
}
compile --output-file=policy/requirements.txt policy/requirements.in
compile --constraint=policy/requirements.txt --output-file=requirements.txt requirements.in
