package ignoredirective

import "time"

// The want expectations sit in a block comment before each directive, because a line comment runs to the end
// of the line and would become part of the directive's reason.

func directives() {
	/* want `needs the names of the analyzers to silence and a reason` */ //conclint:ignore
	time.Sleep(time.Millisecond)

	/* want `has no reason; say why the finding is acceptable` */ //conclint:ignore ignoredirective
	time.Sleep(time.Millisecond)

	/* want `unknown directive //conclint:ignroe` */ //conclint:ignroe ignoredirective it is fine
	time.Sleep(time.Millisecond)

	/* want `names unknown analyzer "nosuchanalyzer"$` */ //conclint:ignore nosuchanalyzer it is fine
	time.Sleep(time.Millisecond)

	/* want `names unknown analyzer "ignoredirectiv"; did you mean ignoredirective\?` */ //conclint:ignore ignoredirectiv it is fine
	time.Sleep(time.Millisecond)

	/* want `cannot silence copylocks: it is a bundled upstream pass; disable it with -copylocks=false` */ //conclint:ignore copylocks it is fine
	time.Sleep(time.Millisecond)

	// One report per name that conclint cannot silence; the known name beside them is fine.
	/* want `unknown analyzer "nosuch"` `cannot silence SA2001` */ //conclint:ignore nosuch,ignoredirective,SA2001 it is fine
	time.Sleep(time.Millisecond)
}

// ok: a well-formed directive naming a conclint analyzer, with a reason.
func wellFormed() {
	//conclint:ignore ignoredirective the sleep is a test hook
	time.Sleep(time.Millisecond)
}

// ok: comments that merely mention conclint are not directives.
func mentions() {
	// conclint:ignore is how findings are silenced; this comment has a space after the slashes.
	/* //conclint:ignore inside a block comment is not a directive either */
	time.Sleep(time.Millisecond)
}
