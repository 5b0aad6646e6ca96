// Optional: lets a person or pipeline run the command-line tool (stats, reindex, backfill, reconcile; docs/cli.md)
// against the catalogue with their Entra ID sign-in: read the images, read and write the vector and failure tables.
// Not Blob Data Contributor: no CLI command writes or deletes an image.

@description('Object id of the user, group or service principal that runs the CLI against Azure.')
param principalId string

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string

param catalogueStorageAccountName string

var roleIds = [
  '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // Storage Blob Data Reader
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName
}

resource operatorAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleIds: {
    name: guid(catalogueStorage.id, principalId, roleId)
    scope: catalogueStorage
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
