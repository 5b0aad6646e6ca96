// Event Grid system topic for the catalogue account. It has no cost of its own and
// exists from the first deployment so the subscription can be added later.

param name string
param location string
param tags object = {}
param catalogueStorageAccountName string

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: catalogueStorage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output name string = systemTopic.name
