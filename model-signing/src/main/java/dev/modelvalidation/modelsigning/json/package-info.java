/** JSON reading helpers shared by the bundle and statement parsers. */
package dev.modelvalidation.modelsigning.json;
