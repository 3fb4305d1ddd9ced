from perfnlp.cli import main

raise SystemExit(main())
