"""``python -m rnn_zoo``: see `rnn_zoo.cli`."""

import sys

from rnn_zoo.cli import main

if __name__ == "__main__":
    sys.exit(main())
