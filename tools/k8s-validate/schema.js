// Validates Kubernetes objects against the API's JSON schemas, offline. kubernetes-models 4.3.1 ships the OpenAPI
// definitions of Kubernetes 1.27 as JSON schemas (4.4 and later ship only compiled validators), registered with one
// ajv instance as each model is first validated. Registration goes through the package's `register`, so wrapping it
// makes every schema strict on the way in, as `kubectl apply` (field validation Strict) and kubeconform -strict are: an
// object with declared properties accepts no other property, so a misspelt field fails instead of being dropped.
"use strict";

const validation = require("@kubernetes-models/validate");

function strict(schema) {
  if (Array.isArray(schema)) return schema.map(strict);
  if (schema === null || typeof schema !== "object") return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, strict(value)]));
  if (copy.properties && copy.additionalProperties === undefined) copy.additionalProperties = false;
  return copy;
}

const register = validation.register;
validation.register = (id, schema) => register(id, strict(schema));

// apiVersion "apps/v1" -> module "kubernetes-models/apps/v1"; the core group "v1" -> "kubernetes-models/v1".
function modelOf(apiVersion, kind) {
  let models;
  try {
    models = require(`kubernetes-models/${apiVersion}`);
  } catch {
    return undefined;
  }
  return Object.prototype.hasOwnProperty.call(models, kind) ? models[kind] : undefined;
}

/** The schema errors of one object, as "path: message" lines; empty when it is valid. */
function schemaErrors(object) {
  const Model = modelOf(object.apiVersion, object.kind);
  if (!Model) return [`no schema for ${object.apiVersion} ${object.kind} in Kubernetes 1.27`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    if (!Array.isArray(error.errors)) throw error;
    return error.errors.map(e => {
      const extra = e.keyword === "additionalProperties" ? ` '${e.params.additionalProperty}'` : "";
      return `${e.instancePath || "/"}: ${e.message}${extra}`;
    });
  }
}

module.exports = { schemaErrors };
