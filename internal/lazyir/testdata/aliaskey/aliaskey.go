// Package aliaskey uses a context key of a built-in type under an alias: SA1029 reports it.
package aliaskey

import "context"

type key = string

func withValue(ctx context.Context) context.Context {
	return context.WithValue(ctx, key("k"), nil)
}
