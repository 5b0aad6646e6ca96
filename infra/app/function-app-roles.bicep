// Every data-plane role the function app's identity holds, and nothing more. Each grant is the least built-in
// role covering what the code (StorageOperations.Catalogue) and the Functions host (HostStorageOperations) do on
// that account; ProductSearch.Infra.Tests fails when an operation has no role allowing it, or a role is unneeded.

@description('Name of the function app\'s user-assigned identity.')
param identityName string

param hostStorageAccountName string
param catalogueStorageAccountName string
param applicationInsightsName string

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

// Host storage (AzureWebJobsStorage, blob, queue and table URIs set): the host keeps locks, keys, timer state and
// blob receipts in blobs (the Functions docs name Blob Data Owner for this), the Event Grid blob trigger queues
// each event on a host queue, and diagnostic events go to a table (403s there turn them off).
var hostStorageRoles = [
  storageBlobDataOwner
  storageQueueDataContributor
  storageTableDataContributor
]

// Catalogue storage (ProductStorage): images are read and, through DELETE, deleted (Reader cannot delete);
// vectors, change log and failures are read and written; the blob trigger creates its poison queue and parks
// blobs that keep failing there.
var catalogueStorageRoles = [
  storageBlobDataContributor
  storageTableDataContributor
  storageQueueDataContributor
]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

// Assignment names hash the identity's resource id, not its principal id, so they are known
// before deployment (What-If can show them) and stay stable for the identity's lifetime.
resource hostStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: hostStorageAccountName
}

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource hostStorageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in hostStorageRoles: {
    name: guid(hostStorage.id, identity.id, roleId)
    scope: hostStorage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource catalogueStorageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in catalogueStorageRoles: {
    name: guid(catalogueStorage.id, identity.id, roleId)
    scope: catalogueStorage
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

// Local (key) authentication is off on Application Insights, so telemetry is accepted
// only from an identity holding this role.
resource telemetryAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}
