package suppress

func bad() {}

// reported: no directive.
func plain() {
	bad() // want `call to bad`
}

// ok: a directive on the same line silences the finding.
func sameLine() {
	bad() //conclint:ignore ignoredirective the stub reports every call
}

// ok: a directive on the line above silences the finding.
func lineAbove() {
	//conclint:ignore ignoredirective the stub reports every call
	bad()
}

// ok: one directive may name several analyzers; the others are not this pass's business.
func severalNames() {
	bad() //conclint:ignore lockblock,ignoredirective both would complain here
}

// reported: a directive two lines above is too far away, and it silences nothing.
func tooFar() {
	//conclint:ignore ignoredirective too far away // want `silences no ignoredirective finding`

	bad() // want `call to bad`
}

// reported: a directive without a reason does not silence (the reason is required).
func noReason() {
	//conclint:ignore ignoredirective
	bad() // want `call to bad`
}

// reported: a directive naming another analyzer does not silence this one.
func otherName() {
	bad() //conclint:ignore lockblock not this analyzer // want `call to bad`
}

// reported: a directive with nothing to silence.
func unused() {
	//conclint:ignore ignoredirective nothing here // want `silences no ignoredirective finding here; remove ignoredirective from it`
	_ = 1
}
