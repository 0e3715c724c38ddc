"""python -m etl.demo.generator: the same as python etl/demo/generate.py."""

import sys

from etl.demo.generator.run import main

sys.exit(main())
