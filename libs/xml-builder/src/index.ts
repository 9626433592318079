export * from './catalogue';
export * from './builder';
export * from './rules';
export * from './xsd';
export * from './xsd-check.service';
export * from './xml-builder.module';
export * from './flat';
export * from './rfce';
