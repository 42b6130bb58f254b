// SPDX-License-Identifier: GPL-2.0
// Copyright (C) 2026 wglab developers.

// wglab-wghost: every userspace WireGuard interface of one lab in one
// process, built from the wireguard-go library (the same code as the
// wireguard-go program), so that a lab pays for one Go runtime instead of
// one per interface.
//
// wglab starts it as `wglab-wghost FD` with a SOCK_SEQPACKET socket on FD
// (netns/wg/wghost.c).  Each request is one message "ID MTU" carrying
// three or four descriptors (SCM_RIGHTS): the TUN (opened by wglab inside
// the node's network namespace, IFF_TUN without IFF_NO_PI, as
// wireguard-go's tun.CreateTUN), the node's network namespace, the UAPI
// socket already bound and listening at /run/wireguard/IFNAME.sock in the
// node's mounts, and the interface's log (wireguard-go's lines, with its
// LOG_LEVEL).  The reply is "ID ok" or "ID error TEXT"; "ID gone" follows
// when the device has closed (its TUN deleted).  The host exits when FD
// reaches its end.
package main

import (
	"fmt"
	"log"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
	"golang.zx2c4.com/wireguard/conn"
	"golang.zx2c4.com/wireguard/device"
	"golang.zx2c4.com/wireguard/tun"
)

// The library version, set by the Makefile (-X main.libVersion=...).
var libVersion = "unknown"

var ctlFd = 3

var (
	ctlMu    sync.Mutex
	logLevel = device.LogLevelError
	devsMu   sync.Mutex
	devs     = map[string]*device.Device{}
)

func reply(msg string) {
	ctlMu.Lock()
	defer ctlMu.Unlock()
	unix.Sendmsg(ctlFd, []byte(msg), nil, nil, 0)
}

// The work that must happen inside a node's network namespace (the TUN's
// netlink socket and index, a bind's sockets) runs on a few OS threads of
// their own that join each namespace in turn: locked for good, never given
// back to the runtime, so no other goroutine ever runs in a namespace it
// did not ask for.
const nsWorkers = 2

var nsJobs = make(chan func())

func nsWorker() {
	runtime.LockOSThread()
	for f := range nsJobs {
		f()
	}
}

// inNetns runs f with the calling thread inside the namespace nsfd.
func inNetns(nsfd int, f func() error) error {
	errc := make(chan error, 1)
	nsJobs <- func() {
		if err := unix.Setns(nsfd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns: %w", err)
			return
		}
		errc <- f()
	}
	return <-errc
}

// netns is a device's network namespace, for the threads that must act
// in it: its fd is closed when the device has closed.
type netns struct {
	mu sync.Mutex
	fd int
}

// enter moves the calling thread (locked, never to be unlocked: it exits
// with its goroutine) into the namespace; false once the device closed.
func (n *netns) enter() bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.fd >= 0 && unix.Setns(n.fd, unix.CLONE_NEWNET) == nil
}

func (n *netns) close() {
	n.mu.Lock()
	defer n.mu.Unlock()
	unix.Close(n.fd)
	n.fd = -1
}

// inside runs f on a thread of its own inside n, and waits for it.
func (n *netns) inside(f func()) {
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		if n.enter() {
			f()
		}
		close(done)
	}()
	<-done
}

// nsTun is the TUN as the device sees it: the MTU (an ioctl by name)
// read through a socket of the node's namespace, and only the MTU's
// events (see forward).
type nsTun struct {
	tun.Device
	sock   int
	events chan tun.Event
}

func (t *nsTun) MTU() (int, error) {
	name, err := t.Device.Name()
	if err != nil {
		return 0, err
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return 0, err
	}
	if err := unix.IoctlIfreq(t.sock, unix.SIOCGIFMTU, ifr); err != nil {
		return 0, fmt.Errorf("failed to get MTU of TUN device: %w", err)
	}
	return int(int32(ifr.Uint32())), nil
}

func (t *nsTun) Events() chan tun.Event {
	return t.events
}

// forward is the device's RoutineTUNEventReader for the TUN going up and
// down, in the events' order, so that device.Up runs inside the node's
// namespace: its BindUpdate opens the UDP sockets and the route listener
// of sticky sockets (startRouteListener, only for a *conn.LinuxSocketBind)
// on the calling thread.  Up by the device's own reader would make them in
// the host's namespace.
func forward(t *nsTun, d *device.Device, ns *netns) {
	for ev := range t.Device.Events() {
		if ev&tun.EventMTUUpdate != 0 {
			t.events <- tun.EventMTUUpdate
		}
		if ev&tun.EventUp != 0 {
			ns.inside(func() { d.Up() })
		}
		if ev&tun.EventDown != 0 {
			d.Down()
		}
	}
	close(t.events)
}

// newLogger is device.NewLogger writing to f instead of stdout.
func newLogger(f *os.File, name string) *device.Logger {
	l := &device.Logger{Verbosef: device.DiscardLogf, Errorf: device.DiscardLogf}
	if f == nil {
		return l
	}
	logf := func(prefix string) func(string, ...any) {
		return log.New(f, prefix+": ("+name+") ", log.Ldate|log.Ltime).Printf
	}
	if logLevel >= device.LogLevelVerbose {
		l.Verbosef = logf("DEBUG")
	}
	if logLevel >= device.LogLevelError {
		l.Errorf = logf("ERROR")
	}
	return l
}

// start makes the device; the watch it returns, run after the reply,
// answers "gone" when the device closes.
func start(id string, mtu int, tunFd, nsFd, uapiFd int, logf *os.File) (func(), error) {
	var dev tun.Device
	sock := -1
	err := inNetns(nsFd, func() error {
		var e error
		if e = unix.SetNonblock(tunFd, true); e != nil {
			return e
		}
		if sock, e = unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0); e != nil {
			return e
		}
		dev, e = tun.CreateTUNFromFile(os.NewFile(uintptr(tunFd), "/dev/net/tun"), mtu)
		return e
	})
	if err != nil {
		if sock >= 0 {
			unix.Close(sock)
		}
		if dev == nil {
			unix.Close(tunFd)
		}
		unix.Close(nsFd)
		unix.Close(uapiFd)
		return nil, err
	}
	name, _ := dev.Name()
	logger := newLogger(logf, name)
	ns := &netns{fd: nsFd}
	nt := &nsTun{Device: dev, sock: sock, events: make(chan tun.Event, 5)}
	d := device.NewDevice(nt, conn.NewDefaultBind(), logger)
	go forward(nt, d, ns)
	uf := os.NewFile(uintptr(uapiFd), "uapi")
	l, err := net.FileListener(uf)
	uf.Close()
	if err != nil {
		d.Close()
		unix.Close(sock)
		ns.close()
		return nil, fmt.Errorf("uapi: %w", err)
	}
	if ul, ok := l.(*net.UnixListener); ok {
		ul.SetUnlinkOnClose(false) // wglab's path, not ours
	}
	devsMu.Lock()
	devs[id] = d
	devsMu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			// A listen-port set opens sockets (BindUpdate) on the
			// handler's thread: it runs inside the node.
			go func(c net.Conn) {
				runtime.LockOSThread()
				if !ns.enter() {
					c.Close()
					return
				}
				d.IpcHandle(c)
			}(c)
		}
	}()
	watch := func() {
		<-d.Wait()
		l.Close()
		unix.Close(sock)
		ns.close()
		if logf != nil {
			logf.Close()
		}
		devsMu.Lock()
		delete(devs, id)
		devsMu.Unlock()
		reply(id + " gone")
	}
	logger.Verbosef("Device started")
	return watch, nil
}

func request(buf []byte, oob []byte) {
	var fds []int
	if msgs, err := unix.ParseSocketControlMessage(oob); err == nil {
		for _, m := range msgs {
			if f, err := unix.ParseUnixRights(&m); err == nil {
				fds = append(fds, f...)
			}
		}
	}
	f := strings.Fields(string(buf))
	id := "?"
	if len(f) > 0 {
		id = f[0]
	}
	mtu := 0
	if len(f) == 2 {
		mtu, _ = strconv.Atoi(f[1])
	}
	if len(fds) < 3 || len(fds) > 4 || mtu <= 0 {
		for _, fd := range fds {
			unix.Close(fd)
		}
		reply(id + " error malformed request")
		return
	}
	var logf *os.File
	if len(fds) == 4 {
		logf = os.NewFile(uintptr(fds[3]), "log")
	}
	watch, err := start(id, mtu, fds[0], fds[1], fds[2], logf)
	if err != nil {
		if logf != nil {
			logf.Close()
		}
		reply(id + " error " + err.Error())
		return
	}
	reply(id + " ok")
	watch()
}

func version() string {
	return fmt.Sprintf("wglab-wghost, wireguard-go v%s as a library, one process for every interface", libVersion)
}

func main() {
	if len(os.Args) == 2 && os.Args[1] == "--version" {
		fmt.Println(version())
		return
	}
	if len(os.Args) == 2 {
		fd, err := strconv.Atoi(os.Args[1])
		if err != nil || fd < 3 {
			fmt.Fprintf(os.Stderr, "usage: %s FD\n", os.Args[0])
			os.Exit(2)
		}
		ctlFd = fd
	}
	switch os.Getenv("LOG_LEVEL") {
	case "verbose", "debug":
		logLevel = device.LogLevelVerbose
	case "silent":
		logLevel = device.LogLevelSilent
	}
	unix.CloseOnExec(ctlFd)
	// Its version first, so that wglab runs no `--version` of its own
	// (a second Go runtime's start beside the lab's first interfaces).
	reply("0 hello " + version())
	for i := 0; i < nsWorkers; i++ {
		go nsWorker()
	}
	buf := make([]byte, 256)
	oob := make([]byte, unix.CmsgSpace(3*4))
	for {
		n, oobn, _, _, err := unix.Recvmsg(ctlFd, buf, oob, unix.MSG_CMSG_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		b := append([]byte(nil), buf[:n]...)
		o := append([]byte(nil), oob[:oobn]...)
		go request(b, o)
	}
	devsMu.Lock()
	for _, d := range devs {
		d.Close()
	}
	devsMu.Unlock()
}
