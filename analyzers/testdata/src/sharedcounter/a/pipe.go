package a

import (
	"io"
	"strings"
)

type uploader interface {
	Upload(name string, r io.Reader) error
}

// ok: the position is read after the upload, which is handed the pipe's read end: reading it to its end
// waits for the goroutine's Close, which follows the write (litefs' streamBackupDB).
func compactAndUpload(up uploader, src string) (int, error) {
	pr, pw := io.Pipe()
	var pos int
	go func() {
		n, err := io.Copy(pw, strings.NewReader(src))
		if err != nil {
			_ = pw.CloseWithError(err)
			return
		}
		pos = int(n)
		_ = pw.Close()
	}()
	if err := up.Upload("backup", pr); err != nil {
		return 0, err
	}
	return pos, nil
}

// reported: the position is read before the read end is handed on: nothing orders the write first.
func readBeforeUpload(up uploader, src string) (int, error) {
	pr, pw := io.Pipe()
	var pos int
	go func() {
		n, _ := io.Copy(pw, strings.NewReader(src))
		pos = int(n) // want `pos is assigned by a goroutine while readBeforeUpload also accesses it \(line \d+\) without synchronization`
		_ = pw.Close()
	}()
	seen := pos
	if err := up.Upload("backup", pr); err != nil {
		return 0, err
	}
	return seen, nil
}
