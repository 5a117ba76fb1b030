// Package ignoredirective defines an Analyzer that checks //conclint:ignore directives.
//
// # Analyzer ignoredirective
//
// ignoredirective: check that //conclint:ignore directives are well formed
//
// A //conclint:ignore directive silences a finding of one of conclint's own analyzers on its line or the
// line below. It must name the analyzers it silences and give a reason. The analyzer reports a directive
// with no names or no reason, one naming an analyzer that conclint does not have, one naming a bundled
// upstream pass (which the directive cannot silence), and an unknown //conclint: verb.
//
// WRONG:
//
//	mu.Lock()
//	time.Sleep(d) //conclint:ignore lockblok
//
// RIGHT:
//
//	mu.Lock()
//	time.Sleep(d) //conclint:ignore lockblock the sleep is a test hook, never taken in production
//
// Each analyzer reports, itself, a well-formed directive that names it but silences nothing. This
// analyzer cannot be silenced.
package ignoredirective
