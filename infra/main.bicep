// Visual product recommender on Azure: one Flex Consumption function app, its host storage,
// a separate catalogue storage account (images + vectors), monitoring and an Event Grid system topic.
//
// `cd infra && azd up` provisions this, deploys the code, then runs hooks/postdeploy.sh, which subscribes the
// blob trigger to BlobCreated events once the code is up (see docs/deployment.md for the plain `az` path).

targetScope = 'resourceGroup'

@description('The azd environment name (up to 64 characters, including _ . ( ) as azd allows): it goes into tags and into the resource token, never into a resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

// The regions that offer Flex Consumption, so an unsupported one fails validation instead of half-way through a
// deployment. Source: the location list of Microsoft's Flex Consumption azd quickstarts (Azure-Samples
// functions-quickstart-*), copied 2026-11; the live list: `az functionapp list-flexconsumption-locations -o table`.
@description('Region for all resources: one that offers Flex Consumption.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Upper bound on function instances; Flex Consumption accepts 1 to 1000.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

// 512 MB (a quarter core) is not offered: VGG16 with its two sessions takes about 430 MB before any vectors.
@description('Memory per instance (2048 MB: one core; 4096 MB: two). The CNN model and the vector cache live in it.')
@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Model descriptor, relative to the deployed app.')
param modelDescriptor string = 'models/vgg16.json'

@description('Seconds the in-memory vector cache may lag the table.')
@minValue(0)
param searchStalenessSeconds int = 5

@description('Optional: object id allowed to upload images (Storage Blob Data Contributor on the catalogue).')
param uploaderPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param uploaderPrincipalType string = 'User'

@description('Optional: object id allowed to run the CLI against the catalogue (Blob Data Reader, Table Data Contributor).')
param operatorPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

// A comma-separated string rather than an array: azd substitutes an unset variable as '' (none), and only recent azd
// versions parse a JSON array from an environment value. The same list as Host.CORS in local.settings.json.
@description('Storefront origins allowed to call the HTTP API from a browser, comma-separated (e.g. https://shop.example,https://www.shop.example); empty: none.')
param storefrontOrigins string = ''

// Flex runs this many HTTP requests at once on an instance before it adds another; its own default is 16 at 2,048 MB.
// A photo search holds the instance's one core (2,048 MB) for about 0.15 s with ResNet18 and 0.3 s with VGG16, so at
// 8 the last of a full instance's photo searches waits about 2.3 s with VGG16 (at 16, about 4.6 s) before Flex
// scales out, while a search by id (about 2 ms) still serves thousands a second within that limit.
@description('HTTP requests one instance runs at once before Flex Consumption adds an instance (1 to 1000).')
@minValue(1)
@maxValue(1000)
param httpPerInstanceConcurrency int = 8

@description('Daily Log Analytics ingestion cap in GB (-1 for none): a runaway log loop cannot run up the bill.')
param logDailyQuotaGb int = 1

param tags object = {}

// These names are fixed by the code's configuration (Storage__ImagesContainer, Storage__VectorTable).
var imagesContainerName = 'product-images'
var vectorTableName = 'productvectors'
// BlobCreated events Event Grid could not deliver within its retry window land here instead of being dropped.
var deadLetterContainerName = 'event-deadletter'
// azd deploys the code to the resource carrying this tag (azure.yaml's service name).
var azdServiceName = 'api'

// Origins hold no spaces, so removing them all trims each entry of a list written as "a, b".
var storefrontOriginText = replace(storefrontOrigins, ' ', '')
var storefrontOriginList = empty(storefrontOriginText) ? [] : split(storefrontOriginText, ',')

var resourceToken = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var allTags = union(tags, { 'app-environment': environmentName, 'azd-env-name': environmentName })

// Names hold only the token (13 lowercase letters and digits): azd allows environment names of 64 characters with
// _ . ( ), which site, plan and storage names reject, so the environment name is in the token and the tags only.
var identityName = 'id-${resourceToken}'
var planName = 'plan-${resourceToken}'
var functionAppName = 'func-${resourceToken}'
var logAnalyticsName = 'log-${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'
var systemTopicName = 'evgt-${resourceToken}'
// Two accounts: the host's Blob Data Owner grant must not extend to the catalogue, where the
// app only reads images; and the catalogue outlives any re-creation of the app.
var hostStorageAccountName = 'sthost${resourceToken}'
var catalogueStorageAccountName = 'stcat${resourceToken}'
var deploymentContainerName = 'app-package-${take(resourceToken, 7)}'

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  params: {
    name: identityName
    location: location
    tags: allTags
  }
}

module hostStorage 'core/storage/storage-account.bicep' = {
  name: 'host-storage'
  params: {
    name: hostStorageAccountName
    location: location
    tags: allTags
    containerNames: [
      deploymentContainerName
    ]
  }
}

module catalogueStorage 'core/storage/storage-account.bicep' = {
  name: 'catalogue-storage'
  params: {
    name: catalogueStorageAccountName
    location: location
    tags: allTags
    containerNames: [
      imagesContainerName
      deadLetterContainerName
    ]
    tableNames: [
      vectorTableName
    ]
    // A mistaken delete of a product image can be undone for a week.
    blobSoftDeleteDays: 7
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: allTags
    dailyQuotaGb: logDailyQuotaGb
  }
}

// Modules below take names as deploy-time constants (variables) rather than module outputs,
// so What-If can predict them; dependsOn then carries the ordering.
module functionRoles 'app/function-app-roles.bicep' = {
  name: 'function-app-roles'
  dependsOn: [
    identity
    hostStorage
    catalogueStorage
    monitoring
  ]
  params: {
    identityName: identityName
    hostStorageAccountName: hostStorageAccountName
    catalogueStorageAccountName: catalogueStorageAccountName
    applicationInsightsName: applicationInsightsName
  }
}

module uploaderRole 'app/uploader-role.bicep' = if (!empty(uploaderPrincipalId)) {
  name: 'uploader-role'
  dependsOn: [
    catalogueStorage
  ]
  params: {
    principalId: uploaderPrincipalId
    principalType: uploaderPrincipalType
    catalogueStorageAccountName: catalogueStorageAccountName
  }
}

module operatorRoles 'app/operator-roles.bicep' = if (!empty(operatorPrincipalId)) {
  name: 'operator-roles'
  dependsOn: [
    catalogueStorage
  ]
  params: {
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
    catalogueStorageAccountName: catalogueStorageAccountName
  }
}

module plan 'core/host/flex-consumption-plan.bicep' = {
  name: 'plan'
  params: {
    name: planName
    location: location
    tags: allTags
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  // Grant the roles first so the host's first start can already reach its storage.
  dependsOn: [
    functionRoles
    hostStorage
    catalogueStorage
    monitoring
  ]
  params: {
    name: functionAppName
    location: location
    tags: union(allTags, { 'azd-service-name': azdServiceName })
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageAccountName: hostStorageAccountName
    deploymentContainerName: deploymentContainerName
    catalogueStorageAccountName: catalogueStorageAccountName
    imagesContainerName: imagesContainerName
    vectorTableName: vectorTableName
    applicationInsightsName: applicationInsightsName
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    modelDescriptor: modelDescriptor
    searchStalenessSeconds: searchStalenessSeconds
    allowedOrigins: storefrontOriginList
    httpPerInstanceConcurrency: httpPerInstanceConcurrency
  }
}

module catalogueEvents 'app/catalogue-events.bicep' = {
  name: 'catalogue-events'
  dependsOn: [
    catalogueStorage
  ]
  params: {
    name: systemTopicName
    location: location
    tags: allTags
    catalogueStorageAccountName: catalogueStorageAccountName
    deadLetterContainerName: deadLetterContainerName
  }
}

// Names and endpoints only: nothing here grants access by itself.
output functionAppName string = functionApp.outputs.name
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'
output catalogueStorageAccountName string = catalogueStorage.outputs.name
output catalogueBlobEndpoint string = catalogueStorage.outputs.blobEndpoint
output imagesContainerName string = imagesContainerName
output vectorTableName string = vectorTableName
output hostStorageAccountName string = hostStorage.outputs.name
output identityClientId string = identity.outputs.clientId
output identityPrincipalId string = identity.outputs.principalId
output applicationInsightsName string = monitoring.outputs.applicationInsightsName
output eventGridSystemTopicName string = catalogueEvents.outputs.name
output deadLetterContainerName string = deadLetterContainerName
