package dep

// No fact: the first send on a channel just made has room; the second is the goroutine's.
func Prime() <-chan int {
	ch := make(chan int, 1)
	ch <- 1
	go func() { ch <- 2 }()
	return ch
}

// The goroutine has the channel before the send, and may have filled it.
func PrimeLate() <-chan int { // want PrimeLate:`mayBlock\(send on ch\)`
	ch := make(chan int, 1)
	go func() { ch <- 2 }()
	ch <- 1
	return ch
}
