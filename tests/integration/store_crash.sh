#!/usr/bin/env bash
# kill -9 the store mid-stream, restart, re-send: every article stored exactly
# once (issue 5, store side). The body is Python (pylib/store_crash_test.py)
# because it speaks protobuf to the store's sockets directly.
exec /usr/bin/python3 "$(dirname "$0")/pylib/store_crash_test.py"
