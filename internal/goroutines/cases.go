package goroutines

import "golang.org/x/tools/go/ssa"

// CaseEdge returns the edge taken when case i of sel is chosen, or nil if go/ssa built no comparison for
// it (a select whose chosen index is unused).
func CaseEdge(sel *ssa.Select, i int) *Edge { return caseEdge(sel, i) }
