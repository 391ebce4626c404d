#!/usr/bin/env bash
# courant dead-letters / courant retry against the real pipeline (issue 5).
# The body is Python (pylib/store_retry_test.py): it injects a dead letter
# the way a stage sends one, with protobuf.
exec /usr/bin/python3 "$(dirname "$0")/pylib/store_retry_test.py"
