package ok_test
