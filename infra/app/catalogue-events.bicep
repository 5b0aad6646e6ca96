// Event Grid system topic for the catalogue account. It has no cost of its own; the BlobCreated subscription
// is added by hooks/postdeploy.sh once the code is up. Its identity may write only the dead-letter container.

param name string
param location string
param tags object = {}
param catalogueStorageAccountName string

@description('Container in the catalogue account that receives events Event Grid could not deliver.')
param deadLetterContainerName string

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  // Shared keys are off on the catalogue account, so Event Grid dead-letters with this identity.
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    source: catalogueStorage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

// Scoped to the one container: the topic can park undeliverable events, not touch the images.
resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(catalogueStorage::blobService::deadLetterContainer.id, systemTopic.id, storageBlobDataContributor)
  scope: catalogueStorage::blobService::deadLetterContainer
  properties: {
    principalId: systemTopic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}

output name string = systemTopic.name
