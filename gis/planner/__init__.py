"""The planner workspace's rules and SQL: editing sites, premises, leads, bulk uploads, the
arealregnskap and NHO ranks. Messages for planners are `Message`s the web app words."""
