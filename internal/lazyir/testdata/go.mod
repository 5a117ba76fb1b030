module example.com/lazy

go 1.22
