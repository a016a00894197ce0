// Command etcd is the upstream etcd server, built from the published go.etcd.io/etcd/server/v3 module at the
// release whose client k8s.io/kubernetes uses, so that tests can run a real kube-apiserver without a prebuilt binary.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
