"""Content checks that report findings on a lesson without stopping the build."""
