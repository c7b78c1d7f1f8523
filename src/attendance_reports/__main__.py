from attendance_reports.cli import main

main()
