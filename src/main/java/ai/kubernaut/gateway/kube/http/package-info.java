/**
 * fabric8's HTTP client on Helidon's blocking HTTP/1.1 client: a request is sent and its answer
 * read on the thread that asked, a virtual thread in this gateway, with no event loop in between.
 */
package ai.kubernaut.gateway.kube.http;
