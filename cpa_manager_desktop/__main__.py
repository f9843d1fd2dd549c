from cpa_manager_desktop.cli import main

raise SystemExit(main())
