package closemisuse

// checkFields reports struct-field channels closed twice. (Not yet.)
func (c *checker) checkFields() {}
