// Every data-plane role the function app's identity holds, and nothing more.
// The README's "Identities and roles" table and ProductSearch.Infra.Tests name this same list.

@description('Name of the function app\'s user-assigned identity.')
param identityName string

param hostStorageAccountName string
param catalogueStorageAccountName string
param applicationInsightsName string

// Built-in role definition ids (the same in every tenant).
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // Storage Blob Data Reader
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher

// Host storage (AzureWebJobsStorage): the Functions host keeps leases, timer schedules,
// keys and the deployment package in blobs, and the Event Grid-sourced blob trigger
// queues the events it receives in its host queue before running the function.
var hostStorageRoles = [
  storageBlobDataOwner
  storageQueueDataContributor
]

// Catalogue storage (ProductStorage): the app only reads images, reads and writes the
// vector table, and moves blobs that keep failing to the webjobs-blobtrigger-poison queue.
var catalogueStorageRoles = [
  storageBlobDataReader
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
