// Pushes BlobCreated events for the images container to the blob trigger's webhook, so IndexProductImage
// (Source = BlobTriggerSource.EventGrid) runs within seconds of an upload instead of waiting for a scan.
//
// Deployed on its own by hooks/postdeploy.sh after the code is up, never with main.bicep: Event Grid validates
// the webhook when the subscription is created, the blobs_extension system key exists only once the host has
// loaded the Event Grid blob trigger, and a re-deploy of main.bicep must not restart the site mid-handshake.

param systemTopicName string
param functionAppName string
param imagesContainerName string

@description('Name of the blob-triggered function, as in [Function("...")].')
param functionName string = 'IndexProductImage'

param catalogueStorageAccountName string

@description('Container that receives events Event Grid could not deliver (the system topic\'s identity may write it).')
param deadLetterContainerName string

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' existing = {
  name: systemTopicName
}

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName
}

// The system key authorises Event Grid to call the runtime webhook; it never leaves this
// deployment (no output, no app setting). `sites/host` has no Bicep type to declare as an
// existing resource, hence listKeys on its resource id.
var blobsExtensionKey = listKeys('${functionApp.id}/host/default', '2024-04-01').systemKeys.blobs_extension
var webhookUrl = 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${functionName}&code=${blobsExtensionKey}'

resource blobCreated 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: systemTopic
  name: 'index-${imagesContainerName}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: webhookUrl
        // One blob per call keeps an image's indexing independent of its neighbours' failures.
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${imagesContainerName}/'
      isSubjectCaseSensitive: false
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // Without this, events still undelivered after the retry window are dropped and those images never indexed.
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: catalogueStorage.id
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output name string = blobCreated.name
