package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// A sample is the cost of one run of a tool, measured as a whole process tree by the kernel (what
// /usr/bin/time -v reports): CPU is user+system time of the process and every child it waited for, RSS
// is the peak resident set of the largest single process in the tree.
type sample struct {
	Wall   float64 `json:"wall_s"`
	CPU    float64 `json:"cpu_s"`
	RSSMiB float64 `json:"peak_rss_mib"`
}

// An invocation is one process to run from the bench directory.
type invocation struct {
	argv    []string
	env     []string // added to the environment
	scratch string   // a directory the process may create, removed after it
	clean   string   // a directory removed before the process starts
}

func (inv invocation) String() string { return strings.Join(inv.argv, " ") }

// A result is what one run printed and how it ended.
type result struct {
	sample
	Exit           int
	Stdout, Stderr []byte
}

// run runs inv to completion and measures it. A process that cannot start is an error; a non-zero exit
// is not: the caller decides what each tool's exit codes mean.
func run(inv invocation) (*result, error) {
	if inv.clean != "" {
		if err := os.RemoveAll(inv.clean); err != nil {
			return nil, err
		}
	}
	cmd := exec.Command(inv.argv[0], inv.argv[1:]...)
	cmd.Env = append(os.Environ(), inv.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return nil, fmt.Errorf("%s: %v", inv.argv[0], err)
	}
	st := cmd.ProcessState
	ru := st.SysUsage().(*syscall.Rusage) // Linux: Maxrss in KiB
	return &result{
		sample: sample{
			Wall:   wall.Seconds(),
			CPU:    (st.UserTime() + st.SystemTime()).Seconds(),
			RSSMiB: float64(ru.Maxrss) / 1024,
		},
		Exit:   st.ExitCode(),
		Stdout: stdout.Bytes(),
		Stderr: stderr.Bytes(),
	}, nil
}

// median returns the per-metric median of the samples (the lower middle one for an even count).
func median(samples []sample) sample {
	pick := func(get func(sample) float64) float64 {
		vals := make([]float64, len(samples))
		for i, s := range samples {
			vals[i] = get(s)
		}
		slices.Sort(vals)
		return vals[(len(vals)-1)/2]
	}
	return sample{
		Wall:   pick(func(s sample) float64 { return s.Wall }),
		CPU:    pick(func(s sample) float64 { return s.CPU }),
		RSSMiB: pick(func(s sample) float64 { return s.RSSMiB }),
	}
}

// goOutput runs the go command from the bench directory and returns its standard output.
func goOutput(args ...string) (string, error) {
	cmd := exec.Command("go", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, excerpt(stderr.Bytes()))
	}
	return string(out), nil
}

// goRun runs the go command with its output going to ours, for the steps that take a while.
func goRun(env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return nil
}

// excerpt returns the first lines of a tool's output, enough to name what failed.
func excerpt(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	const maxLines = 15
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], fmt.Sprintf("... (%d more lines)", len(lines)-maxLines))
	}
	return strings.Join(lines, "\n")
}
