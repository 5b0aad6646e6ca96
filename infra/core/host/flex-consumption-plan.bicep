// Flex Consumption (FC1) plan: billed per execution and per instance-second, scales to zero.

param name string
param location string
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Flex Consumption only runs on Linux.
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
