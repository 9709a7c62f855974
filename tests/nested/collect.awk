# SPDX-License-Identifier: MIT
# tests/nested/collect.awk - splits the console log of a nested boot back into the
# files init.sh printed between its markers.
#
# usage: awk -v out=DIR -f collect.awk console.log
# Writes DIR/<file> for each section and prints one line per finding:
#	section <file> <status>   a section complete with its END marker
#	run <name>.<i>            the last run that started (where a hung boot stopped)
#	done                      init.sh got to its end
# A section cut off before its END marker keeps what arrived but is not listed.

# Serial consoles end lines with CR LF.
{ sub(/\r+$/, "") }

/^@@MVM-BEGIN [A-Za-z0-9_.+-]+ status=[0-9]+@@$/ {
	if (file != "")
		close(file)
	name = $2
	status = substr($3, 8, length($3) - 9)
	file = out "/" name
	printf "" >file
	next
}

file != "" && $0 == "@@MVM-END " name "@@" {
	close(file)
	print "section", name, status
	file = ""
	next
}

file != "" {
	print >file
	next
}

/^@@MVM-RUN [A-Za-z0-9_.+-]+@@$/ {
	print "run", substr($2, 1, length($2) - 2)
}

/^@@MVM-DONE@@$/ {
	print "done"
}
