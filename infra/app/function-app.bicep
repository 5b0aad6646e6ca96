// The product search function app on Flex Consumption. Every connection it makes
// (host storage, catalogue storage, deployment package, telemetry) uses the
// user-assigned identity; no app setting carries a key.

param name string
param location string
param tags object = {}

param planId string
param identityId string
param identityClientId string

param hostStorageAccountName string
@description('Blob container in the host storage account that holds the deployment package.')
param deploymentContainerName string

param catalogueStorageAccountName string
param imagesContainerName string
param vectorTableName string

param applicationInsightsName string

@description('Upper bound on instances; Flex Consumption accepts 1 to 1000.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@allowed([
  2048
  4096
])
param instanceMemoryMB int

@description('Model descriptor path, relative to the deployed app.')
param modelDescriptor string

@description('How stale the in-memory vector cache may get before a query reloads it.')
param searchStalenessSeconds int

@description('Browser origins allowed to call the HTTP API (the storefront\'s); empty: no cross-origin caller.')
param allowedOrigins string[] = []

@description('HTTP requests one instance runs at once before Flex Consumption adds an instance.')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int

resource hostStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: hostStorageAccountName
}

resource catalogueStorage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: catalogueStorageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      cors: {
        allowedOrigins: allowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        triggers: {
          http: {
            perInstanceConcurrency: httpPerInstanceConcurrency
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage, identity-based (see "Connecting to host storage with an identity").
      AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId

      // Catalogue storage: the `ProductStorage` connection used by the trigger and the app.
      // The queue URI matters: without it the blob trigger puts poison messages on the host queue.
      ProductStorage__blobServiceUri: catalogueStorage.properties.primaryEndpoints.blob
      ProductStorage__queueServiceUri: catalogueStorage.properties.primaryEndpoints.queue
      ProductStorage__tableServiceUri: catalogueStorage.properties.primaryEndpoints.table
      ProductStorage__credential: 'managedidentity'
      ProductStorage__clientId: identityClientId

      Storage__ImagesContainer: imagesContainerName
      Storage__VectorTable: vectorTableName
      Model__Descriptor: modelDescriptor
      Search__StalenessSeconds: string(searchStalenessSeconds)
      // NCRONTAB for ReconcileDeletedImages (a timer binding has no default): every 15 minutes.
      Reconcile__Schedule: '0 */15 * * * *'

      // The connection string only names the ingestion endpoint: local auth is disabled,
      // so the SDK must authenticate with the identity named below.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
    }
  }
}

// Publishing is done with Entra ID tokens (func / az CLI); basic-auth credentials stay off.
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  // Not in the type, but the resource provider rejects these policies without it (Azure/bicep-types-az#1529).
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  #disable-next-line BCP187
  location: location
  properties: {
    allow: false
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
