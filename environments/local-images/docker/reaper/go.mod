module dev.gameday/reaper

go 1.22
