//go:build linux

package app

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// madvPageout is Linux's MADV_PAGEOUT (5.4 and later): reclaim these
// pages now.
const madvPageout = 21

// releaseCode asks the kernel to reclaim the resident pages of the
// executable's code and read-only data (its read-only mappings of its
// own file). Start-up runs much code once — migrations, the OpenAPI
// document and its validators, the template checks, the models — and
// its pages would otherwise stay in the server's RSS for good; what the
// server runs afterwards is read back from the page cache on first use
// (a minor fault). The pages are clean, so nothing is written anywhere;
// pages shared with another process are left alone by the kernel. It
// returns how many bytes of mappings it advised; on a kernel without
// MADV_PAGEOUT it returns an error and changes nothing.
func releaseCode() (int64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("release code pages: %w", err)
	}
	exe = strings.TrimSuffix(exe, " (deleted)")
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("release code pages: %w", err)
	}
	defer f.Close()
	var advised int64
	var errs []error
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// address perms offset dev inode path
		fields := strings.Fields(sc.Text())
		if len(fields) < 6 || strings.Contains(fields[1], "w") ||
			strings.TrimSuffix(strings.Join(fields[5:], " "), " (deleted)") != exe {
			continue
		}
		from, to, ok := strings.Cut(fields[0], "-")
		start, err1 := strconv.ParseUint(from, 16, 64)
		end, err2 := strconv.ParseUint(to, 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			continue
		}
		if _, _, e := syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), madvPageout); e != 0 {
			errs = append(errs, e)
			continue
		}
		advised += int64(end - start)
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return advised, fmt.Errorf("release code pages: %w", errors.Join(errs...))
	}
	return advised, nil
}
