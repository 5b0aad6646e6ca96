// Optional: lets a person or pipeline upload catalogue images with `--auth-mode login`,
// which is the only way in once shared-key access is off.

@description('Object id of the user, group or service principal that uploads images.')
param principalId string

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string

param catalogueStorageAccountName string

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName
}

resource uploaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(catalogueStorage.id, principalId, storageBlobDataContributor)
  scope: catalogueStorage
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}
