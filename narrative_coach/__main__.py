from narrative_coach.cli import main

raise SystemExit(main())
