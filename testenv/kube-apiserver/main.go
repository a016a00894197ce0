// Command kube-apiserver is the upstream Kubernetes API server, built from the published k8s.io/kubernetes module
// so that tests can run against a real server without a prebuilt binary. It mirrors the upstream
// cmd/kube-apiserver/apiserver.go, which is package main and so cannot be imported.
package main

import (
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
