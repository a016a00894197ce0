/**
 * The RemediationRequest custom resource as Java beans. The crd-generator plugin derives the
 * committed CRD manifest from these classes, so their annotations are the schema.
 */
package ai.kubernaut.gateway.kube.crd;
